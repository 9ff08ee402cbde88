/** The gateway defaults of every compliance profile, from which the gateway rules' no-config baseline is derived. */
import { profiles } from "../catalogue/profiles";

export const profileGateways = Object.values(profiles).map((p) => p.gateway);
/** The no-config baseline admits what the most generous profile admits (each profile's config pins its own). */
export const loosest = (pick: (g: (typeof profileGateways)[number]) => number) =>
    Math.max(...profileGateways.map(pick));
