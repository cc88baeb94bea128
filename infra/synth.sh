#!/usr/bin/env bash
# Synthesizes the stack without AWS credentials: builds the four functions' packages, installs the
# pinned CDK CLI (package-lock.json) and leaves the CloudFormation template in infra/cdk.out/.
# Extra arguments go to `cdk synth`, e.g. ./infra/synth.sh -c apiShape=rest
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
(cd .. && ./mvnw -B -q package -DskipTests -pl functions/ingest,functions/query,functions/authorizer,functions/compaction -am)
npm ci --no-audit --no-fund --ignore-scripts
npx cdk synth --quiet "$@"
echo "template: $(pwd)/cdk.out/$(ls cdk.out | grep -m1 '\.template\.json$')"
