"""A second client family against userpoold: boto3 (botocore's own JSON 1.1 serializer,
its own error parsing). Usage: python3 test/smoke/boto3_smoke.py http://127.0.0.1:9229

Exits 0 when every check passes; prints one line per check. Exit 77 means boto3 is absent.
"""
import sys

try:
    import boto3
    from botocore.config import Config
except ImportError:
    print("SKIP: boto3 is not installed")
    sys.exit(77)


def main(url: str) -> None:
    client = boto3.client(
        "cognito-idp",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"max_attempts": 1}),
    )

    created = client.create_user_pool(PoolName="boto3-smoke")
    pool_id = created["UserPool"]["Id"]
    assert pool_id.startswith("us-east-1_"), pool_id
    print(f"ok create_user_pool {pool_id}")

    described = client.describe_user_pool(UserPoolId=pool_id)
    assert described["UserPool"]["Name"] == "boto3-smoke", described
    # botocore parses epoch-seconds timestamps into datetimes; a wrong type would fail here.
    assert described["UserPool"]["CreationDate"].year >= 2020, described["UserPool"]["CreationDate"]
    print("ok describe_user_pool")

    try:
        client.describe_user_pool(UserPoolId="us-east-1_nope")
    except client.exceptions.ResourceNotFoundException as err:
        assert type(err).__name__ == "ResourceNotFoundException", type(err).__name__
        assert err.response["Error"]["Code"] == "ResourceNotFoundException", err.response
        assert err.response["Error"]["Message"] == "User pool us-east-1_nope does not exist.", err.response
        assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 400, err.response
        print("ok ResourceNotFoundException")
    else:
        raise AssertionError("describe_user_pool of a missing pool succeeded")

    try:
        client.describe_user_pool(UserPoolId="not a pool id!")
    except client.exceptions.InvalidParameterException as err:
        assert "failed to satisfy constraint" in err.response["Error"]["Message"], err.response
        print("ok InvalidParameterException")
    else:
        raise AssertionError("describe_user_pool of a malformed id succeeded")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: boto3_smoke.py URL", file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
