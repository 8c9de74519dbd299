import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';

// The ASN.1 libraries are about 10 MB of memory: signing-certificate.ts loads this file on the
// first certificate it makes, not every server at start.

/** sha256WithRSAEncryption (RFC 4055), with the NULL parameters RSA signatures carry. */
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
/** id-at-commonName (RFC 5280). */
const COMMON_NAME = '2.5.4.3';
/** "Issued certificates are valid for 10 years from the date of issue" (API_GetSigningCertificate). */
const VALIDITY_YEARS = 10;

/** A self-signed certificate for an RSA key, as DER. */
export function selfSignedCertificate(privateKey: KeyObject, commonName: string, serialSeed: Buffer, notBefore: Date): Buffer {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const name = new Name([
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: commonName }) })]),
  ]);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const algorithm = new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: positiveSerial(serialSeed),
    signature: algorithm,
    issuer: name,
    validity: new Validity({ notBefore, notAfter }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, privateKey);
  const certificate = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: toArrayBuffer(signature) });
  return Buffer.from(AsnConvert.serialize(certificate));
}

/** At most 20 octets and positive (RFC 5280 4.1.2.2): the first 16 bytes with the top bit cleared. */
function positiveSerial(seed: Buffer): ArrayBuffer {
  const bytes = Buffer.from(seed.subarray(0, 16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return toArrayBuffer(bytes);
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
