/** What the offline plan answers for each invoke a program may call; any other invoke fails the run naming it. */
import { placeholderClient, placeholderGroupObjectId } from "./placeholders";

export type InvokeHandler = (args: Record<string, unknown>) => Record<string, unknown>;

/** What the offline plan answers for each invoke it knows; anything else fails the run naming the token. */
export const placeholderInvokes: Record<string, InvokeHandler> = {
    "azure-native:authorization:getClientConfig": () => ({ ...placeholderClient }),
    "azuread:index/getClientConfig:getClientConfig": () => ({
        clientId: placeholderClient.clientId,
        objectId: placeholderClient.objectId,
        tenantId: placeholderClient.tenantId,
    }),
    "azuread:index/getGroup:getGroup": (args) => {
        const displayName = String(args.displayName ?? args.objectId ?? "group");
        const objectId = typeof args.objectId === "string" ? args.objectId : placeholderGroupObjectId(displayName);
        return {
            id: objectId,
            objectId,
            displayName,
            securityEnabled: true,
            mailEnabled: false,
            members: [],
            owners: [],
        };
    },
};

export class UnexpectedInvokeError extends Error {
    constructor(public readonly token: string) {
        super(
            `The program called the invoke '${token}', which the offline plan has no placeholder for. Known invokes: ${Object.keys(placeholderInvokes).join(", ")}`,
        );
        this.name = "UnexpectedInvokeError";
    }
}
