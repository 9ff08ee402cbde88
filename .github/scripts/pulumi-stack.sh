#!/usr/bin/env bash
# Runs `pulumi preview` or `pulumi up` for one stack with the policy pack and that stack's profile config.
# Shared by the GitHub Actions and Azure DevOps pipelines, so both enforce the pack the same way.
#   pulumi-stack.sh preview|up <stack> <profile>
# preview: the plan goes to the log without property diffs; PULUMI_SUMMARY_FILE (optional) receives the
#   public-repository-safe summary (counts per operation, policy violations) for the pull-request comment.
# up: first `pulumi preview --json --show-sames`; when it deletes a resource under a CanNotDelete lock (a model
#   deployment, a blocklist item, a table: deletion-locks.js decides, and refuses anything else under a lock),
#   `pulumi up` runs with <project>:deletionLocks=suspended and then at once again with =enforced, which puts the
#   locks back; a failure to restore them fails loudly. `protect: true` stays on the locked resources throughout.
# Before every pulumi call the Azure CLI and the providers get a freshly requested federated token
# (federated-token.js), so no stack of a long ring runs on an expired one.
# Environment:
#   PULUMI_ORG               Pulumi Cloud organization; the stack becomes <org>/<stack>. Unset for DIY backends.
#   PULUMI_SECRETS_PROVIDER  secrets provider for a stack created here, e.g. azurekeyvault://<vault>.vault.azure.net/keys/<key>
#   AZURE_FEDERATED_LOGIN    "true": log the Azure CLI in again with a fresh federated token before each pulumi call
#                            (needs ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID)
#   PULUMI_SUMMARY_FILE      preview only: where to write the summary JSON
set -euo pipefail

usage() { echo "usage: $0 preview|up <stack> <profile>" >&2; exit 2; }
[ "$#" -eq 3 ] || usage
command="$1" stack="$2" profile="$3"
case "$command" in preview|up) ;; *) echo "pulumi-stack: unknown command '$command' (expected preview or up)" >&2; usage ;; esac
[[ "$stack" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "pulumi-stack: invalid stack name '$stack'" >&2; exit 2; }
[[ "$profile" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "pulumi-stack: invalid profile name '$profile'" >&2; exit 2; }

cd "$(dirname "$0")/../.."
scripts=.github/scripts
policy_config="policies/config/${profile}.json"
[ -f "$policy_config" ] || { echo "pulumi-stack: stack '$stack' uses profile '$profile' but $policy_config does not exist (generate it with: npm run policy-config)" >&2; exit 2; }
[ -f policies/PulumiPolicy.yaml ] || { echo "pulumi-stack: policies/PulumiPolicy.yaml not found: the policy pack is missing" >&2; exit 2; }
[ -f policies/bin/policies/index.js ] || { echo "pulumi-stack: policies/bin/policies/index.js not found: run 'npm run build' first" >&2; exit 2; }
[ -f dist/infra/index.js ] || { echo "pulumi-stack: dist/infra/index.js not found: run 'npm run build' first" >&2; exit 2; }
project="$(node -p 'require("./.github/scripts/stack-matrix.js").readProjectName(".")')"
locks_key="${project}:deletionLocks"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A new federated token for the Azure CLI (state in azblob://, Key Vault secrets) and, on Azure DevOps, for the
# providers (ARM_OIDC_TOKEN). On GitHub the providers request their own from the job's token endpoint whenever
# they need one (ARM_USE_OIDC with ACTIONS_ID_TOKEN_REQUEST_*), so ARM_OIDC_TOKEN stays unset there.
fresh_credentials() {
    [ "${AZURE_FEDERATED_LOGIN:-}" = "true" ] || return 0
    node "$scripts/federated-token.js" --out "$work/oidc-token"
    local token
    token="$(cat "$work/oidc-token")"
    az login --service-principal --username "$ARM_CLIENT_ID" --tenant "$ARM_TENANT_ID" --federated-token "$token" --allow-no-subscriptions --output none
    az account set --subscription "$ARM_SUBSCRIPTION_ID"
    if [ -n "${SYSTEM_OIDCREQUESTURI:-}" ]; then export ARM_OIDC_TOKEN="$token"; fi
}

ref="${PULUMI_ORG:+${PULUMI_ORG}/}${stack}"
common=(--stack "$ref" --non-interactive --color never --policy-pack policies --policy-pack-config "$policy_config")

fresh_credentials
# Creating the stack here lets the first run of a newly added stack file go ahead instead of failing.
select_args=(stack select --create "$ref" --non-interactive)
[ -n "${PULUMI_SECRETS_PROVIDER:-}" ] && select_args+=(--secrets-provider "$PULUMI_SECRETS_PROVIDER")
pulumi "${select_args[@]}"

if [ "$command" = preview ]; then
    status=0
    PULUMI_DEBUG_COMMANDS=true pulumi preview "${common[@]}" --suppress-progress --event-log "$work/events.jsonl" || status=$?
    if [ -n "${PULUMI_SUMMARY_FILE:-}" ]; then
        outcome=success; [ "$status" -eq 0 ] || outcome=failure
        node "$scripts/preview-summary.js" --stack "$stack" --outcome "$outcome" --events "$work/events.jsonl" --out "$PULUMI_SUMMARY_FILE"
    fi
    exit "$status"
fi

# up: decide on the deletion locks from a preview of this very commit.
pulumi preview "${common[@]}" --json --show-sames > "$work/preview.json"
decision="$(node "$scripts/deletion-locks.js" decide "$work/preview.json")"

if [ "$decision" = keep ]; then
    fresh_credentials
    pulumi up "${common[@]}" --yes --suppress-progress --config "${locks_key}=enforced"
    exit 0
fi

echo "pulumi-stack: $stack deletes resources under its deletion locks: suspending the locks for one update, then restoring them"
fresh_credentials
lifted=0
pulumi up "${common[@]}" --yes --suppress-progress --config "${locks_key}=suspended" || lifted=$?
fresh_credentials
restored=0
pulumi up "${common[@]}" --yes --suppress-progress --config "${locks_key}=enforced" || restored=$?
if [ "$restored" -ne 0 ]; then
    msg="deletion locks of stack $stack were NOT restored (pulumi up exited $restored): re-run this job now; the locked resources are still protected (protect: true) but Azure does not stop their deletion until the locks are back"
    if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::error title=Deletion locks not restored::$msg"; fi
    if [ -n "${TF_BUILD:-}" ]; then echo "##vso[task.logissue type=error]$msg"; fi
    echo "pulumi-stack: $msg" >&2
    exit 1
fi
if [ "$lifted" -ne 0 ]; then
    echo "pulumi-stack: the update with the locks suspended failed (exit $lifted); the locks were restored" >&2
    exit "$lifted"
fi
echo "pulumi-stack: $stack updated and its deletion locks restored"
