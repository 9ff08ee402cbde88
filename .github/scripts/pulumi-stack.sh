#!/usr/bin/env bash
# Runs `pulumi preview` or `pulumi up` for one stack with the policy pack and that stack's profile config.
# Shared by the GitHub Actions and Azure DevOps pipelines, so both enforce the pack the same way.
#   pulumi-stack.sh preview|up <stack> <profile>
# Environment (all optional):
#   PULUMI_ORG               Pulumi Cloud organization; the stack becomes <org>/<stack>. Unset for DIY backends.
#   PULUMI_SECRETS_PROVIDER  secrets provider for a stack created here, e.g. azurekeyvault://<vault>.vault.azure.net/keys/<key>
#   PULUMI_OUTPUT_FILE       also write the command's output to this file (for the pull-request comment)
set -euo pipefail

usage() { echo "usage: $0 preview|up <stack> <profile>" >&2; exit 2; }
[ "$#" -eq 3 ] || usage
command="$1" stack="$2" profile="$3"
case "$command" in preview|up) ;; *) echo "pulumi-stack: unknown command '$command' (expected preview or up)" >&2; usage ;; esac
[[ "$stack" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "pulumi-stack: invalid stack name '$stack'" >&2; exit 2; }
[[ "$profile" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "pulumi-stack: invalid profile name '$profile'" >&2; exit 2; }

cd "$(dirname "$0")/../.."
policy_config="policies/config/${profile}.json"
[ -f "$policy_config" ] || { echo "pulumi-stack: stack '$stack' uses profile '$profile' but $policy_config does not exist (generate it with: npm run policy-config)" >&2; exit 2; }
[ -f policies/PulumiPolicy.yaml ] || { echo "pulumi-stack: policies/PulumiPolicy.yaml not found: the policy pack is missing" >&2; exit 2; }
[ -f dist/infra/index.js ] || { echo "pulumi-stack: dist/infra/index.js not found: run 'npm ci' (it builds the program) first" >&2; exit 2; }

ref="${PULUMI_ORG:+${PULUMI_ORG}/}${stack}"
# Creating the stack here lets the first preview of a newly added stack file run instead of failing.
select_args=(stack select --create "$ref" --non-interactive)
[ -n "${PULUMI_SECRETS_PROVIDER:-}" ] && select_args+=(--secrets-provider "$PULUMI_SECRETS_PROVIDER")
pulumi "${select_args[@]}"

args=("$command" --stack "$ref" --non-interactive --diff --color never --suppress-progress
      --policy-pack policies --policy-pack-config "$policy_config")
[ "$command" = up ] && args+=(--yes)

echo "pulumi ${args[*]}"
if [ -n "${PULUMI_OUTPUT_FILE:-}" ]; then
    pulumi "${args[@]}" 2>&1 | tee "$PULUMI_OUTPUT_FILE"
else
    pulumi "${args[@]}"
fi
