/** The AI gateway's globally unique but stable service name. */
import { stableSuffix } from "../catalogue/naming";

/** The gateway's service name (and `<name>.azure-api.net` host) for a prefix and seed. */
export function gatewayServiceName(namePrefix: string, uniquenessSeed: string): string {
    return `apim-${namePrefix}-${stableSuffix(`apim/${namePrefix}/${uniquenessSeed}`)}`;
}
