#!/usr/bin/env bash
# Deploys the real CDK stack to a running LocalStack (docker compose -f localstack/docker-compose.yml
# up -d) in its REST API shape (the free plan has no HTTP APIs), then sends an OTLP batch through
# the API and reads the trace back. Needs Docker, Node.js 20+ and a JDK 17+.
# LOCALSTACK_ENDPOINT and LOCALSTACK_CONTAINER point it at another LocalStack (the Testcontainers
# test's) than the compose file's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_REGION=${AWS_DEFAULT_REGION:-us-east-1}
endpoint=${LOCALSTACK_ENDPOINT:-http://127.0.0.1:4566}
export AWS_ENDPOINT_URL=$endpoint # where cdklocal deploys
stack=${STACK_NAME:-Tracelake}
awslocal() {
  if [ -n "${LOCALSTACK_CONTAINER:-}" ]; then
    docker exec -i "$LOCALSTACK_CONTAINER" awslocal "$@"
  else
    docker compose -f "$root/localstack/docker-compose.yml" exec -T localstack awslocal "$@"
  fi
}

curl -fsS "$endpoint/_localstack/health" >/dev/null || {
  echo "LocalStack is not answering on $endpoint: docker compose -f localstack/docker-compose.yml up -d" >&2
  exit 1
}

# LocalStack runs the functions on the host's architecture (LAMBDA_IGNORE_ARCHITECTURE): on x86_64,
# the query function must carry DuckDB's linux_amd64 native library instead of linux_arm64.
arch=()
if [ "$(uname -m)" = x86_64 ]; then arch=(-Dlambda.architecture=x86_64); fi
./mvnw -B -q package -DskipTests -pl functions/ingest,functions/query,functions/authorizer,functions/compaction -am "${arch[@]}"

cd infra
npm ci --no-audit --no-fund --ignore-scripts
npx cdklocal bootstrap
npx cdklocal deploy --require-approval never -c stackName="$stack" -c apiShape=rest \
  --outputs-file cdk.out/localstack-outputs.json
output() { node -p "require('./cdk.out/localstack-outputs.json')['$stack'].$1"; }

api_id=$(output ApiUrl | sed -E 's#^https?://([^.]+)\..*#\1#')
url="$endpoint/restapis/$api_id/prod/_user_request_"
key=$(awslocal secretsmanager get-secret-value --secret-id "$(output ApiKeySecretArn)" \
  --query SecretString --output text | tr -d '\r')
echo "API: $url"

trace_id=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
now=$(date +%s)
body=$(cat <<JSON
{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"localstack-demo"}}]},
 "scopeSpans":[{"spans":[{"traceId":"$trace_id","spanId":"0102030405060708","name":"GET /demo","kind":2,
 "startTimeUnixNano":"${now}000000000","endTimeUnixNano":"${now}250000000"}]}]}]}
JSON
)

echo "without the key: HTTP $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "$body" "$url/v1/traces") (403 expected)"
# The first call waits for the function's container to start.
curl -fsS --retry 5 --retry-all-errors --max-time 120 -H "x-api-key: $key" \
  -H 'Content-Type: application/json' --data-binary "$body" "$url/v1/traces"
echo

for attempt in $(seq 1 20); do
  if answer=$(curl -fsS --max-time 120 -H "x-api-key: $key" "$url/api/v3/traces/$trace_id"); then
    echo "$answer" | grep -q '"GET /demo"' && { echo "read back trace $trace_id: $answer"; exit 0; }
  fi
  sleep 3
done
echo "trace $trace_id was not read back" >&2
exit 1
