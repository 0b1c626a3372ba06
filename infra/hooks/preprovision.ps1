# azd preprovision hook: gives the environment the key that signs continuation tokens
# (API_CONTINUATION_TOKEN_KEY, 32 random bytes in base64) unless it has one. azd keeps it in the
# environment's .env (.azure/<env>/.env, git-ignored), so tokens stay valid across deployments.
$ErrorActionPreference = 'Stop'

if ($env:API_CONTINUATION_TOKEN_KEY) {
    exit 0
}

$bytes = [byte[]]::new(32)
[System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
azd env set API_CONTINUATION_TOKEN_KEY ([Convert]::ToBase64String($bytes))
if ($LASTEXITCODE -ne 0) { throw 'azd env set failed' }
Write-Host 'Generated API_CONTINUATION_TOKEN_KEY for this environment.'
