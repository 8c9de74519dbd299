/**
 * Encrypts the code (or temporary password) a custom sender function receives, as Cognito does:
 * an AWS Encryption SDK message under the pool's symmetric KMS key (LambdaConfig.KMSKeyID),
 * base64-encoded (DG23 user-pool-lambda-custom-sms-sender: "Amazon Cognito sends the base64
 * encoded ciphertext"). A function decrypts it with the Encryption SDK and a KMS keyring, as on
 * AWS; KMS is AWS's, or the one at --kms-endpoint (e.g. a local KMS emulator).
 */
export interface CodeEncryptor {
  encrypt(kmsKeyId: string, plaintext: string): Promise<string>;
}

export interface CodeEncryptorOptions {
  /** A KMS-compatible endpoint; unset means AWS's endpoint for the key's region. */
  endpoint: string | undefined;
  /** The region of a key named without an ARN (the model requires an ARN, so rarely used). */
  defaultRegion: string;
  timeoutMs: number;
}

type Sdk = typeof import('@aws-crypto/client-node');

export function createCodeEncryptor(options: CodeEncryptorOptions): CodeEncryptor {
  // Loaded with the first custom sender message: a server whose pools name none never pays for it.
  let loading: Promise<{ sdk: Sdk; encrypt: ReturnType<Sdk['buildClient']>['encrypt'] }> | undefined;
  const load = () =>
    (loading ??= import('@aws-crypto/client-node').then((sdk) => ({
      sdk,
      // Committed algorithm suites on encryption, as the SDK's default and AWS's own samples
      // (REQUIRE_ENCRYPT_ALLOW_DECRYPT) decrypt; any 2.x+ Encryption SDK reads them.
      encrypt: sdk.buildClient(sdk.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT).encrypt,
    })));
  const keyrings = new Map<string, InstanceType<Sdk['KmsKeyringNode']>>();

  return {
    async encrypt(kmsKeyId, plaintext) {
      const { sdk, encrypt } = await load();
      let keyring = keyrings.get(kmsKeyId);
      if (keyring === undefined) {
        const clientProvider = sdk.getClient(sdk.KMS, {
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
          // The outbox owns retries (with backoff, attempts counted); SDK retries would multiply them.
          maxAttempts: 1,
          requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs },
        });
        // The keyring asks for a client by the key ARN's region; '' for a bare key id or alias.
        keyring = new sdk.KmsKeyringNode({ generatorKeyId: kmsKeyId, clientProvider: (region: string) => clientProvider(region || options.defaultRegion) });
        keyrings.set(kmsKeyId, keyring);
      }
      const { result } = await encrypt(keyring, plaintext);
      return result.toString('base64');
    },
  };
}
