#!/bin/sh
# azd preprovision hook: gives the environment the key that signs continuation tokens
# (API_CONTINUATION_TOKEN_KEY, 32 random bytes in base64) unless it has one. azd keeps it in the
# environment's .env (.azure/<env>/.env, git-ignored), so tokens stay valid across deployments.
set -eu

if [ -n "${API_CONTINUATION_TOKEN_KEY:-}" ]; then
  exit 0
fi

key=$(openssl rand -base64 32)
azd env set API_CONTINUATION_TOKEN_KEY "$key"
echo "Generated API_CONTINUATION_TOKEN_KEY for this environment."
