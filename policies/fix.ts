/**
 * The fix of a finding, written for the three people who may read it: the author of a raw program (the property to
 * set), a stack owner (the key of `stacks/Pulumi.<stack>.yaml` to edit) and a component user (the argument to pass).
 */
export interface PlatformFix {
    /** The stack config key a stack owner edits, e.g. `network.allowedOutboundFqdns`. */
    stackKey?: string;
    /** The component argument a component user edits, e.g. `OpenAiAccount allowedFqdns`. */
    componentArg?: string;
    /** When the platform's components always set the value and no key changes it: which component. */
    alwaysSetBy?: string;
}

/** `<raw fix> (stack config: <key>; component: <argument>)`, or `(<component> always sets it)`. */
export function fixFor(raw: string, platform: PlatformFix): string {
    const parts: string[] = [];
    if (platform.stackKey) parts.push(`stack config: ${platform.stackKey}`);
    if (platform.componentArg) parts.push(`component: ${platform.componentArg}`);
    if (platform.alwaysSetBy) parts.push(`${platform.alwaysSetBy} always sets it; no stack key turns it off`);
    return parts.length ? `${raw} (${parts.join("; ")})` : raw;
}
