/**
 * `@pulumi/pulumi`'s index eagerly loads its closure serializer, which loads `typescript`, `@npmcli/arborist` and
 * `normalize-package-data` (about 320 ms and 50 MB), and its Automation API, which loads `execa` and `js-yaml`; the
 * plan's processes and the pack never serialize functions or drive the CLI. Required from inside the SDK, these are
 * loaded on first use instead. Import this before anything loads `@pulumi/pulumi`. Anything outside the SDK that
 * requires them gets the real module. See docs/performance.md.
 */
import * as path from "path";

// Each is required at the top of an SDK module and read only inside functions the plan and the pack never call:
// function serialization (typescript, arborist, normalize-package-data) and the Automation API (execa, js-yaml).
const lazyInSdk = new Set(["typescript", "@npmcli/arborist", "normalize-package-data", "execa", "js-yaml"]);
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json")) + path.sep;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require("module") as {
    _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown;
};
const load = Module._load;

Module._load = function (request, parent, isMain) {
    if (!lazyInSdk.has(request) || !parent?.filename?.startsWith(sdkDir))
        return load.call(this, request, parent, isMain);
    let real: Record<string | symbol, unknown> | undefined;
    const get = () => (real ??= load.call(this, request, parent, isMain) as Record<string | symbol, unknown>);
    // `__esModule` answers without loading, so the SDK's `__importStar` returns this proxy as it is.
    return new Proxy(
        {},
        {
            get: (_, key) =>
                key === "__esModule" ? true : key === "default" && !get().__esModule ? get() : get()[key],
            has: (_, key) => key in get(),
        },
    );
};
