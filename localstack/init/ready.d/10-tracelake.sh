#!/usr/bin/env bash
# The quick path, without the CDK stack: the bucket and trace index ./tracelake serve uses with
#   --bucket tracelake --index-table tracelake-index --s3-endpoint http://127.0.0.1:4566
#   --dynamodb-endpoint http://127.0.0.1:4566 --region us-east-1
# Same keys and TTL attribute as the stack's. Runs inside the LocalStack container when it is ready.
set -euo pipefail

awslocal s3api head-bucket --bucket tracelake 2>/dev/null || awslocal s3 mb s3://tracelake

if ! awslocal dynamodb describe-table --table-name tracelake-index >/dev/null 2>&1; then
  awslocal dynamodb create-table --table-name tracelake-index \
    --attribute-definitions AttributeName=trace_id,AttributeType=S AttributeName=object_key,AttributeType=S \
    --key-schema AttributeName=trace_id,KeyType=HASH AttributeName=object_key,KeyType=RANGE \
    --billing-mode PAY_PER_REQUEST >/dev/null
  awslocal dynamodb update-time-to-live --table-name tracelake-index \
    --time-to-live-specification Enabled=true,AttributeName=expires_at >/dev/null
fi
echo "tracelake: bucket tracelake and table tracelake-index ready"
