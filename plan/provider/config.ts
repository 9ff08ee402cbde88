/**
 * The configuration of one provider package as the engine hands it to the provider: the stack's `<package>:<key>`
 * entries as `<key>` (pulumi/pulumi pkg/resource/deploy/target.go `GetPackageConfig`, read 2026-11-27).
 */
export function packageConfig(config: Record<string, string>, pkg: string): Record<string, string> {
    const prefix = `${pkg}:`;
    return Object.fromEntries(
        Object.entries(config)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), v]),
    );
}
