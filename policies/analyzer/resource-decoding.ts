/**
 * A resource of an Analyze or AnalyzeStack request as the SDK hands it to a policy: server.js getResourceOptions,
 * getProviderResource and isTypeOf, the same values.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { deserialize, policyModule, proxy } from "./sdk";

export function resourceOptions(r: any) {
    const opts = r.getOptions();
    if (!opts)
        throw new Error(
            "A more recent version of the Pulumi CLI is required. To upgrade, see https://www.pulumi.com/docs/get-started/install/",
        );
    const timeouts = opts.getCustomtimeouts();
    const result: Record<string, unknown> = {
        protect: opts.getProtect(),
        ignoreChanges: opts.getIgnorechangesList(),
        aliases: opts.getAliasesList(),
        customTimeouts: {
            createSeconds: timeouts?.getCreate() ?? 0.0,
            updateSeconds: timeouts?.getUpdate() ?? 0.0,
            deleteSeconds: timeouts?.getDelete() ?? 0.0,
        },
        additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
    };
    if (opts.getDeletebeforereplacedefined()) result.deleteBeforeReplace = opts.getDeletebeforereplace();
    if (opts.getParent()) result.parent = opts.getParent();
    return result;
}

export function providerResource(r: any) {
    const prov = r.getProvider();
    if (!prov) return undefined;
    return {
        type: prov.getType(),
        props: proxy.unknownCheckingProxy(deserialize.deserializeProperties(prov.getProperties(), false)),
        urn: prov.getUrn(),
        name: prov.getName(),
    };
}

export function isTypeOf(type: string, resourceClass: any): boolean {
    const pulumiType = policyModule.getPulumiType(resourceClass);
    if (pulumiType) return type === pulumiType;
    const isInstance = resourceClass.isInstance;
    return Boolean(isInstance) && typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}
