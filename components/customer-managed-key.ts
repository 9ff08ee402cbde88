/**
 * A customer-managed key for an Azure OpenAI account, as Azure OpenAI accepts it (docs/azure-constraints.md,
 * "CMK"): a private, purge-protected Key Vault that uses legacy access policies, and an HSM-backed key with a
 * rotation policy. The account's own system-assigned identity is what unwraps the key: `OpenAiAccount` grants it
 * get/wrapKey/unwrapKey through a Key Vault access policy once the identity exists (it only exists after the account
 * does), so a new stack rolls out in two phases (`customerManagedKey.phase`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { privateEndpointGroupIds } from "../catalogue/azure";
import { stableSuffix } from "../catalogue/naming";
import { AccountEncryptionSpec } from "./openai-account";
import { assignRoles, attachDiagnostics, attachLock, attachPrivateEndpoint, CommonArgs } from "./shared";

/** DNS suffix of Key Vault in Azure's public cloud (the cloud every profile of this platform targets). */
export const keyVaultDnsSuffix = "vault.azure.net";

/** ISO 8601 durations in days, the only unit the rotation policy needs. */
const isoDays = (days: number) => `P${days}D`;

export interface KeyRotation {
    /** Days after a version's creation when Key Vault creates the next version (default 365). */
    rotateAfterDays?: number;
    /** Days after creation when a version expires (default 730: a superseded version stays usable for a year). */
    expireAfterDays?: number;
    /** Days before expiry when Key Vault emits a near-expiry event (default 30). */
    notifyBeforeExpiryDays?: number;
}

export interface CustomerManagedKeyArgs extends CommonArgs {
    /** Short lower-case prefix of the stack's names; the vault is `kv-<prefix>-<suffix>` (24 characters at most). */
    namePrefix: string;
    /** Plain string that keeps the vault name globally unique but stable, e.g. `<subscriptionId>/<stack>`. */
    uniquenessSeed: string;
    /** Entra ID tenant of the vault (the account's tenant: CMK does not work across tenants). */
    tenantId: pulumi.Input<string>;
    /** Subscription of the role definitions of any `roleAssignments` (management-plane roles on the vault). */
    subscriptionId: pulumi.Input<string>;
    /** Name of the key in the vault (default `openai-cmk`). */
    keyName?: string;
    rotation?: KeyRotation;
}

/** The deterministic vault name: letters and digits with single hyphens, 3-24 characters, globally unique-ish. */
export function vaultNameFor(namePrefix: string, uniquenessSeed: string): string {
    const compact = namePrefix.replace(/-/g, "").slice(0, 13);
    return `kv-${compact}-${stableSuffix(`${namePrefix}/${uniquenessSeed}/vault`)}`;
}

/** Synchronous checks of the arguments; every problem names the argument and what was expected. */
export function validateCustomerManagedKeyArgs(
    args: Pick<CustomerManagedKeyArgs, "namePrefix" | "uniquenessSeed" | "keyName" | "rotation">,
): void {
    const problems: string[] = [];
    if (!/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/.test(args.namePrefix))
        problems.push(
            `namePrefix: '${args.namePrefix}' expected 3-20 lower-case letters, digits or '-', starting with a letter`,
        );
    if (args.uniquenessSeed.trim() === "")
        problems.push("uniquenessSeed: expected a non-empty string such as '<subscriptionId>/<stack>'");
    if (args.keyName !== undefined && !/^[a-zA-Z0-9-]{1,127}$/.test(args.keyName))
        problems.push(`keyName: '${args.keyName}' expected 1-127 letters, digits or '-'`);
    const r = { rotateAfterDays: 365, expireAfterDays: 730, notifyBeforeExpiryDays: 30, ...args.rotation };
    for (const [key, value] of Object.entries(r)) {
        if (!Number.isInteger(value) || value < 1)
            problems.push(`rotation.${key}: ${value} expected a whole number of days of at least 1`);
    }
    // Key Vault requires the rotation to happen at least 7 days before expiry, and the notice to fit in the lifetime.
    if (r.rotateAfterDays > r.expireAfterDays - 7)
        problems.push(
            `rotation.rotateAfterDays: ${r.rotateAfterDays} expected at most rotation.expireAfterDays - 7 (${r.expireAfterDays - 7}) so a new version exists before the old one expires`,
        );
    if (r.notifyBeforeExpiryDays >= r.expireAfterDays)
        problems.push(
            `rotation.notifyBeforeExpiryDays: ${r.notifyBeforeExpiryDays} expected fewer days than rotation.expireAfterDays (${r.expireAfterDays})`,
        );
    if (problems.length > 0) throw new Error(`CustomerManagedKey: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

export class CustomerManagedKey extends pulumi.ComponentResource {
    public readonly vaultId: pulumi.Output<string>;
    /** Known in preview (derived from plain inputs). */
    public readonly vaultName: string;
    public readonly vaultUri: pulumi.Output<string>;
    public readonly keyId: pulumi.Output<string>;
    /** Versioned key URI the account encrypts with; an identifier, not key material. */
    public readonly keyUriWithVersion: pulumi.Output<string>;
    /** Pass as `OpenAiAccountArgs.encryption`. */
    public readonly accountEncryption: AccountEncryptionSpec;
    /** What a lock on the vault also covers among this component's resources (the key, role assignments, diagnostics). */
    public readonly lockCovers: pulumi.Resource[];

    constructor(name: string, args: CustomerManagedKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("azure-openai-lz:security:CustomerManagedKey", name, {}, opts);
        validateCustomerManagedKeyArgs(args);
        const { resourceGroupName, location, tags } = args;
        const rotation = { rotateAfterDays: 365, expireAfterDays: 730, notifyBeforeExpiryDays: 30, ...args.rotation };
        this.vaultName = vaultNameFor(args.namePrefix, args.uniquenessSeed);
        if (!args.privateEndpoint)
            pulumi.log.warn(
                `${name}: no privateEndpoint given; the vault's data plane is then reachable by trusted Azure services only`,
                this,
            );

        const vault = new keyvault.Vault(
            `${name}-vault`,
            {
                vaultName: this.vaultName,
                resourceGroupName,
                location,
                properties: {
                    tenantId: args.tenantId,
                    // Premium: RSA-HSM keys (HSM-protected, FIPS 140 validated) need it; standard holds software keys only.
                    sku: { family: "A", name: "premium" },
                    // Azure OpenAI's CMK requires legacy access policies. `accessPolicies` is deliberately left unset:
                    // azure-native sends an empty list on create and then leaves the list to the AccessPolicy resources
                    // (pulumi-azure-native #2951); setting it here would wipe the account's grant on every vault update.
                    enableRbacAuthorization: false,
                    enableSoftDelete: true,
                    softDeleteRetentionInDays: 90,
                    // Irreversible by design: a deleted key can never be purged before retention ends (Azure OpenAI requires
                    // soft delete and purge protection).
                    enablePurgeProtection: true,
                    publicNetworkAccess: "Disabled",
                    networkAcls: {
                        defaultAction: "Deny",
                        ipRules: [],
                        virtualNetworkRules: [],
                        // Azure OpenAI reaches its key as a trusted Microsoft service; without the bypass it cannot unwrap.
                        bypass: "AzureServices",
                    },
                    enabledForDeployment: false,
                    enabledForDiskEncryption: false,
                    enabledForTemplateDeployment: false,
                },
                tags,
            },
            { parent: this, protect: args.protect },
        );

        // Created through ARM (control plane), so it works although the vault's data plane is closed to the deployer.
        const key = new keyvault.Key(
            `${name}-key`,
            {
                keyName: args.keyName ?? "openai-cmk",
                vaultName: vault.name,
                resourceGroupName,
                properties: {
                    // Azure OpenAI accepts RSA and RSA-HSM keys of 2048 bits only; HSM protection is the stronger choice.
                    kty: "RSA-HSM",
                    keySize: 2048,
                    keyOps: ["wrapKey", "unwrapKey"],
                    attributes: { enabled: true, exportable: false },
                    rotationPolicy: {
                        attributes: { expiryTime: isoDays(rotation.expireAfterDays) },
                        lifetimeActions: [
                            {
                                trigger: { timeAfterCreate: isoDays(rotation.rotateAfterDays) },
                                action: { type: "rotate" },
                            },
                            {
                                trigger: { timeBeforeExpiry: isoDays(rotation.notifyBeforeExpiryDays) },
                                action: { type: "notify" },
                            },
                        ],
                    },
                },
                tags,
            },
            { parent: this, protect: args.protect },
        );

        const roles = assignRoles(this, name, vault.id, args.subscriptionId, args.roleAssignments);

        attachPrivateEndpoint(
            this,
            name,
            { resourceId: vault.id, groupId: privateEndpointGroupIds.keyVault, resourceGroupName, location, tags },
            args.privateEndpoint,
            [vault],
        );
        const diagnostics = attachDiagnostics(this, name, vault.id, args.diagnosticSettings);
        this.lockCovers = [key, ...roles, ...(diagnostics ? [diagnostics] : [])];
        attachLock(this, name, vault.id, args.lock, this.lockCovers);

        this.vaultId = vault.id;
        this.vaultUri = vault.properties.vaultUri;
        this.keyId = key.id;
        this.keyUriWithVersion = key.keyUriWithVersion;
        const keyName = args.keyName ?? "openai-cmk";
        // Note for previews: azure-native resolves the account's `properties` as one value, so while the key version is
        // unknown (the key is created in the same run) the account's properties are unknown as a whole.
        this.accountEncryption = {
            keyVaultUri: `https://${this.vaultName}.${keyVaultDnsSuffix}/`,
            keyName,
            // Azure OpenAI pins a key version; after a rotation `pulumi up --refresh` moves the account to the new one.
            keyVersion: key.keyUriWithVersion.apply((uri) => uri.split("/").pop() ?? ""),
            vaultName: this.vaultName,
            vaultResourceGroupName: resourceGroupName,
            tenantId: args.tenantId,
            vaultHostName: `${this.vaultName}.${keyVaultDnsSuffix}`,
            readyAfter: [vault, key],
            protect: args.protect,
        };

        this.registerOutputs({
            vaultId: this.vaultId,
            vaultName: this.vaultName,
            vaultUri: this.vaultUri,
            keyId: this.keyId,
            keyUriWithVersion: this.keyUriWithVersion,
        });
    }
}
