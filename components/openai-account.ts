/**
 * An Azure OpenAI account that is private, keyless and egress-restricted by construction: there is no argument that
 * turns public access, API keys or open outbound calls back on. Role assignments, diagnostics, lock and private
 * endpoint take the shared shapes of `shared.ts`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { cmkKeyPermissions, privateEndpointGroupIds } from "../catalogue/azure";
import { CustomerManagedKeyPhase, customerManagedKeyPhases } from "../catalogue/stack-schema";
import { stableSuffix } from "../catalogue/naming";
import { assignRoles, attachDiagnostics, attachLock, attachPrivateEndpoint, CommonArgs } from "./shared";

/** Custom subdomains are DNS labels: lower-case letters, digits and inner hyphens, 2-64 characters. */
const subdomainPattern = /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/;
/** A host name (no scheme, no path) for the outbound allow-list; `*.` wildcards are accepted by Azure. */
const fqdnPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * How the account encrypts with a customer-managed key (what `CustomerManagedKey.accountEncryption` returns). The
 * account unwraps the key with its system-assigned identity, the only kind Azure OpenAI supports for CMK.
 */
export interface AccountEncryptionSpec {
    /** `https://<vault>.vault.azure.net/` */
    keyVaultUri: pulumi.Input<string>;
    keyName: pulumi.Input<string>;
    /** Pinned key version: Azure OpenAI does not follow rotations by itself (see docs/components-core.md). */
    keyVersion: pulumi.Input<string>;
    /** The vault holding the key (legacy access policies), where the account's identity is granted the key. */
    vaultName: pulumi.Input<string>;
    vaultResourceGroupName: pulumi.Input<string>;
    /** Entra ID tenant of the vault and the account. */
    tenantId: pulumi.Input<string>;
    /** The vault's host name; added to the outbound allow-list so the account can reach its key. */
    vaultHostName: pulumi.Input<string>;
    /** Resources that must exist before the account and its grant (the vault and the key). */
    readyAfter: pulumi.Resource[];
    /** Protect the grant like the key it opens (production). */
    protect?: boolean;
}

export interface OpenAiAccountArgs extends CommonArgs {
    /** Short lower-case prefix of the stack's names, e.g. `contoso-eu`; the account is `<namePrefix>-oai-<suffix>`. */
    namePrefix: string;
    /**
     * A plain string that makes the custom subdomain globally unique but stable, e.g. `<subscriptionId>/<stack>` or
     * `<project>/<stack>/<location>`. Plain (not an Output) so the subdomain, and the endpoint, are known in preview.
     */
    uniquenessSeed: string;
    /** Subscription id; required with `roleAssignments` (role definition ids are subscription-scoped). */
    subscriptionId?: pulumi.Input<string>;
    /**
     * Host names the account itself may call out to (outbound access is always restricted). Default: none, plus
     * the key vault host when `encryption` is set. Add e.g. an Azure AI Search host for "on your data".
     */
    allowedFqdns?: string[];
    /**
     * Let trusted Azure services (Azure AI Search, Azure Machine Learning) reach the account with their managed
     * identity despite the closed firewall. Default false: nothing bypasses the private endpoint.
     */
    allowTrustedAzureServices?: boolean;
    /** Encrypt with a customer-managed key (Key Vault). Absent: Microsoft-managed keys. */
    encryption?: AccountEncryptionSpec;
    /**
     * Where the key's rollout stands (with `encryption`). `grant`: the account is created with its system identity and
     * Microsoft-managed keys, and the identity is granted the key; use it for the first update of a new account, whose
     * identity does not exist before. `encrypt` (default): the account encrypts with the key; the grant stays.
     */
    encryptionPhase?: CustomerManagedKeyPhase;
}

/** The deterministic custom subdomain (and account name) for a prefix and seed. */
export function accountSubdomain(namePrefix: string, uniquenessSeed: string): string {
    return `${namePrefix}-oai-${stableSuffix(`${namePrefix}/${uniquenessSeed}`)}`;
}

/** Synchronous checks of the arguments; every problem names the argument and what was expected. */
export function validateOpenAiAccountArgs(
    args: Pick<
        OpenAiAccountArgs,
        | "namePrefix"
        | "uniquenessSeed"
        | "allowedFqdns"
        | "roleAssignments"
        | "subscriptionId"
        | "location"
        | "encryption"
        | "encryptionPhase"
    >,
): void {
    const problems: string[] = [];
    if (!/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/.test(args.namePrefix))
        problems.push(
            `namePrefix: '${args.namePrefix}' expected 3-20 lower-case letters, digits or '-', starting with a letter`,
        );
    if (args.uniquenessSeed.trim() === "")
        problems.push("uniquenessSeed: expected a non-empty string such as '<subscriptionId>/<stack>'");
    if (!/^[a-z0-9]+$/.test(args.location))
        problems.push(`location: '${args.location}' expected an Azure region name such as westeurope`);
    (args.allowedFqdns ?? []).forEach((fqdn, i) => {
        if (!fqdnPattern.test(fqdn))
            problems.push(
                `allowedFqdns[${i}]: '${fqdn}' expected a host name such as search-x.search.windows.net (no scheme, no path)`,
            );
    });
    if ((args.roleAssignments?.length ?? 0) > 0 && args.subscriptionId === undefined)
        problems.push("subscriptionId: expected with roleAssignments (role definition ids are subscription-scoped)");
    if (args.encryptionPhase !== undefined && !customerManagedKeyPhases.includes(args.encryptionPhase))
        problems.push(
            `encryptionPhase: '${String(args.encryptionPhase)}' expected one of ${customerManagedKeyPhases.join(", ")}`,
        );
    if (args.encryptionPhase !== undefined && args.encryption === undefined)
        problems.push(
            "encryptionPhase: given without encryption: expected encryption (CustomerManagedKey.accountEncryption) or no phase",
        );
    if (problems.length === 0 && !subdomainPattern.test(accountSubdomain(args.namePrefix, args.uniquenessSeed)))
        problems.push("namePrefix: yields an invalid custom subdomain");
    if (problems.length > 0) throw new Error(`OpenAiAccount: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

export class OpenAiAccount extends pulumi.ComponentResource {
    public readonly accountId: pulumi.Output<string>;
    public readonly accountName: pulumi.Output<string>;
    /** The custom subdomain; known in preview. */
    public readonly customSubDomainName: string;
    /** `https://<subdomain>.openai.azure.com/`, what Entra ID clients call (resolved privately through the endpoint). */
    public readonly endpoint: pulumi.Output<string>;
    /** Object id of the system-assigned identity (it unwraps a customer-managed key; grants on e.g. a search service). */
    public readonly principalId: pulumi.Output<string>;
    /** The access policy granting the identity the customer-managed key (with `encryption`). */
    public readonly keyAccessPolicy?: keyvault.AccessPolicy;
    /** What a lock on the account also covers among this component's resources (role assignments, diagnostic setting). */
    public readonly lockCovers: pulumi.Resource[];
    public readonly privateEndpointId?: pulumi.Output<string>;
    /** The account resource, for children that need an explicit dependency on it (deployments, filters). */
    public readonly account: cognitiveservices.Account;

    constructor(name: string, args: OpenAiAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:ai:OpenAiAccount", name, {}, opts);
        validateOpenAiAccountArgs(args);
        const { resourceGroupName, location, tags, encryption } = args;
        const encrypting = encryption !== undefined && (args.encryptionPhase ?? "encrypt") === "encrypt";
        this.customSubDomainName = accountSubdomain(args.namePrefix, args.uniquenessSeed);

        const allowedFqdnList: pulumi.Input<string>[] = [
            ...(args.allowedFqdns ?? []),
            ...(encryption ? [encryption.vaultHostName] : []),
        ];
        this.account = new cognitiveservices.Account(
            `${name}-account`,
            {
                accountName: this.customSubDomainName,
                resourceGroupName,
                location,
                kind: "OpenAI",
                sku: { name: "S0" },
                // Azure OpenAI supports customer-managed keys with the system-assigned identity only (not user-assigned).
                identity: { type: "SystemAssigned" },
                properties: {
                    // Required for Entra ID tokens and for private endpoints; derived, never random, so it is stable.
                    customSubDomainName: this.customSubDomainName,
                    publicNetworkAccess: "Disabled",
                    networkAcls: {
                        defaultAction: "Deny",
                        ipRules: [],
                        virtualNetworkRules: [],
                        // "None" by default: with public access disabled the private endpoint is the only way in, and no
                        // Azure service gets an exception unless the caller opts in for a documented integration.
                        bypass: args.allowTrustedAzureServices ? "AzureServices" : "None",
                    },
                    // No API keys: callers use Entra ID. The keys are never listed or exported by this platform.
                    disableLocalAuth: true,
                    // Data exfiltration protection: the account may only call the hosts listed here.
                    restrictOutboundNetworkAccess: true,
                    allowedFqdnList,
                    // No identityClientId: without it the service uses the system-assigned identity.
                    encryption: encrypting
                        ? {
                              keySource: "Microsoft.KeyVault",
                              keyVaultProperties: {
                                  keyVaultUri: encryption.keyVaultUri,
                                  keyName: encryption.keyName,
                                  keyVersion: encryption.keyVersion,
                              },
                          }
                        : undefined,
                },
                tags,
            },
            { parent: this, protect: args.protect, dependsOn: encryption?.readyAfter ?? [] },
        );

        const account = this.account;
        this.accountId = account.id;
        this.accountName = account.name;
        this.endpoint = account.properties.endpoint;
        this.principalId = account.identity.apply((i) => i?.principalId ?? "");

        // The identity's grant on the key: get, wrapKey and unwrapKey only, by a legacy access policy (what Azure
        // OpenAI documents). The same resource in both phases, so moving from grant to encrypt never touches it.
        if (encryption) {
            this.keyAccessPolicy = new keyvault.AccessPolicy(
                `${name}-cmk-access`,
                {
                    resourceGroupName: encryption.vaultResourceGroupName,
                    vaultName: encryption.vaultName,
                    policy: {
                        tenantId: encryption.tenantId,
                        objectId: this.principalId,
                        permissions: { keys: [...cmkKeyPermissions] },
                    },
                },
                { parent: this, protect: encryption.protect ?? args.protect, dependsOn: encryption.readyAfter },
            );
        }

        // A private endpoint created while the account is still "Accepted" fails (a race public modules hit). The
        // endpoint therefore takes the account id only through provisioningState, which is known once the create
        // has completed, and refuses any state other than Succeeded with a message that says what to do.
        const readyAccountId = pulumi.all([account.id, account.properties.provisioningState]).apply(([id, state]) => {
            if (state !== "Succeeded") {
                throw new Error(
                    `OpenAiAccount ${name}: account is in provisioning state '${state}', not Succeeded; its private endpoint would fail ("account in state Accepted"). Run the update again once the account has finished provisioning.`,
                );
            }
            return id;
        });
        const pe = attachPrivateEndpoint(
            this,
            name,
            {
                resourceId: readyAccountId,
                groupId: privateEndpointGroupIds.cognitiveServicesAccount,
                resourceGroupName,
                location,
                tags,
            },
            args.privateEndpoint,
            [account],
        );
        this.privateEndpointId = pe?.endpoint.id;

        // Validation guarantees a subscription id whenever there are role assignments.
        const roles =
            args.subscriptionId !== undefined
                ? assignRoles(this, name, account.id, args.subscriptionId, args.roleAssignments)
                : [];
        const diagnostics = attachDiagnostics(this, name, account.id, args.diagnosticSettings);
        this.lockCovers = [...roles, ...(diagnostics ? [diagnostics] : [])];
        attachLock(this, name, account.id, args.lock, this.lockCovers);

        this.registerOutputs({
            accountId: this.accountId,
            accountName: this.accountName,
            customSubDomainName: this.customSubDomainName,
            endpoint: this.endpoint,
            principalId: this.principalId,
            privateEndpointId: this.privateEndpointId,
            encryptionPhase: encryption ? (args.encryptionPhase ?? "encrypt") : undefined,
        });
    }
}
