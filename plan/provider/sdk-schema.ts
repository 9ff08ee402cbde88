/**
 * What a provider SDK installed beside the program declares about a resource type, read from its generated `.d.ts`:
 * the class's `readonly X: pulumi.Output<T>` members are the resource's outputs, its `XArgs` interface members its
 * inputs, and for azure-native the nested output types in `types/output.d.ts` give the shape of each object output.
 * An input that is not an output is a URL path parameter of the ARM request (`accountName`, `resourceGroupName`,
 * `scope`, ...), which azure-native never returns as an output.
 *
 * Nothing here is a hand-kept list: a resource type the program uses gets its shape from the SDK it was written
 * against, the first time it is needed (cached per process).
 */
import * as fs from "fs";
import * as path from "path";
import { bodyOf, membersOf, Shape, shapeOf } from "./declarations";

export interface ResourceSchema {
    /** The type token, e.g. `azure-native:cognitiveservices:Account`. */
    type: string;
    /** The package, e.g. `azure-native`. */
    pkg: string;
    /** Declared outputs and their shapes. */
    outputs: Map<string, Shape>;
    /** Declared inputs (`XArgs`), and whether each is optional. */
    inputs: Map<string, { optional: boolean }>;
    /**
     * Inputs that are not outputs: for azure-native, the path parameters of the resource's ARM URL (and the rare body
     * property Azure returns flattened, such as a key's `properties`).
     */
    inputOnly: string[];
    /**
     * The input naming the resource itself: azure-native auto-names the last segment of the ARM path when it is
     * left out, so that is the one optional path parameter (`deploymentName?`, `raiPolicyName?`, `lockName?`).
     */
    nameParameter?: string;
    /** The ARM API version the SDK's class uses ("Uses Azure REST API version ..." in its documentation). */
    apiVersion?: string;
}

const packageRoots = new Map<string, string | null>();

/** Where an SDK package is installed: beside the program (cwd) first, else beside the plan. */
function packageRoot(pkg: string): string | undefined {
    if (!packageRoots.has(pkg)) {
        let root: string | null = null;
        try {
            root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`, { paths: [process.cwd(), __dirname] }));
        } catch {
            root = null;
        }
        packageRoots.set(pkg, root);
    }
    return packageRoots.get(pkg) ?? undefined;
}

/** The declaration file of a type token's class: `azure-native:cognitiveservices:Account`, `random:index/randomString:RandomString`. */
function classFile(root: string, token: string): string | undefined {
    const [, mod = "index", name] = token.split(":");
    if (!name) return undefined;
    // Bridged packages spell the file in the module part (`index/randomString`); azure-native uses the class name.
    const slash = mod.indexOf("/");
    const isVersion = slash >= 0 && /^v\d/.test(mod.slice(slash + 1));
    const dir =
        slash < 0 || isVersion
            ? mod === "index"
                ? ""
                : mod
            : mod.slice(0, slash) === "index"
              ? ""
              : mod.slice(0, slash);
    const file = slash < 0 || isVersion ? name[0].toLowerCase() + name.slice(1) : mod.slice(slash + 1);
    const direct = path.join(root, dir, `${file}.d.ts`);
    if (fs.existsSync(direct)) return direct;
    const index = path.join(root, dir, "index.d.ts");
    if (!fs.existsSync(index)) return undefined;
    const m = new RegExp(`export type ${name} = import\\("\\./([\\w/]+)"\\)\\.${name};`).exec(
        fs.readFileSync(index, "utf8"),
    );
    return m ? path.join(root, dir, `${m[1]}.d.ts`) : undefined;
}

const schemas = new Map<string, ResourceSchema | null>();

/** The schema of a resource type from its installed SDK, or undefined when the SDK or the class is not installed. */
export function resourceSchema(type: string): ResourceSchema | undefined {
    if (!schemas.has(type)) schemas.set(type, readResourceSchema(type) ?? null);
    return schemas.get(type) ?? undefined;
}

function readResourceSchema(type: string): ResourceSchema | undefined {
    const pkg = type.split(":")[0];
    const root = packageRoot(pkg);
    const file = root && classFile(root, type);
    if (!file || !fs.existsSync(file)) return undefined;
    const text = fs.readFileSync(file, "utf8");
    const name = type.split(":")[2];
    const classBody = bodyOf(text, `export declare class ${name} extends `);
    if (classBody === undefined) return undefined;
    const outputs = new Map<string, Shape>();
    for (const m of membersOf(classBody)) if (m.type.startsWith("pulumi.Output<")) outputs.set(m.name, shapeOf(m.type));
    const inputs = new Map<string, { optional: boolean }>();
    for (const m of membersOf(bodyOf(text, `export interface ${name}Args `) ?? ""))
        inputs.set(m.name, { optional: m.optional });
    // `id` is every azure-native resource's output (the SDK declares it on CustomResource).
    const inputOnly = [...inputs.keys()].filter((k) => !outputs.has(k) && k !== "id");
    const optionalPath = inputOnly.filter((k) => inputs.get(k)?.optional);
    const nameParameter =
        optionalPath.find((k) => /Name$/.test(k)) ?? (optionalPath.length === 1 ? optionalPath[0] : undefined);
    const apiVersion = /Uses Azure REST API version ([\w.-]+?)\.?(?:\s|$)/.exec(
        text.slice(0, text.indexOf(`export declare class ${name}`)),
    )?.[1];
    return { type, pkg, outputs, inputs, inputOnly, nameParameter, apiVersion };
}

/** azure-native's nested output types: `types/output.d.ts`, one `export declare namespace <module>` block per module. */
let outputDeclarations: Buffer | undefined;
const namespaceBlocks = new Map<string, string>();
const objectSchemas = new Map<string, Map<string, Shape> | null>();

function namespaceBlock(pkg: string, ns: string): string | undefined {
    const key = `${pkg}:${ns}`;
    if (!namespaceBlocks.has(key)) {
        const root = packageRoot(pkg);
        const file = root && path.join(root, "types", "output.d.ts");
        if (!file || !fs.existsSync(file)) return undefined;
        // About 9 MB: read as bytes, search natively, decode only the module's block.
        outputDeclarations ??= fs.readFileSync(file);
        const start = outputDeclarations.indexOf(`export declare namespace ${ns} {`);
        if (start < 0) return undefined;
        const next = outputDeclarations.indexOf("\nexport declare namespace ", start + 10);
        namespaceBlocks.set(
            key,
            outputDeclarations.toString("latin1", start, next < 0 ? outputDeclarations.length : next),
        );
    }
    return namespaceBlocks.get(key);
}

/** The properties of a nested output type (`cognitiveservices.AccountPropertiesResponse`), or undefined when unknown. */
export function objectSchema(pkg: string, ref: string): Map<string, Shape> | undefined {
    const key = `${pkg}:${ref}`;
    if (!objectSchemas.has(key)) {
        const dot = ref.lastIndexOf(".");
        const block = dot > 0 ? namespaceBlock(pkg, ref.slice(0, dot)) : undefined;
        const body = block && bodyOf(block, `\n    interface ${ref.slice(dot + 1)} `);
        objectSchemas.set(
            key,
            body === undefined ? null : new Map(membersOf(body).map((m) => [m.name, shapeOf(m.type)])),
        );
    }
    return objectSchemas.get(key) ?? undefined;
}

/** Frees the raw declaration bytes between programs; the modules' blocks already read stay cached. */
export function releaseDeclarationBytes(): void {
    outputDeclarations = undefined;
}
