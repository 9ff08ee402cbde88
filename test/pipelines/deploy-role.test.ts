/**
 * The deploy identity's custom roles (pipelines/roles/*.json) hold exactly the Azure actions the stacks need:
 * every committed stack is planned in update mode (ids known) with the real program, and every resource it
 * creates, and every resource it references, is mapped to its actions (.github/scripts/deploy-permissions.js,
 * sources there). A role that lacks an action, grants one no stack needs, or grants a wildcard fails; so does
 * docs/pipelines.md when its table of the roles differs from what the roles are.
 */
import * as fs from "fs";
import * as path from "path";
import { requiredActions } from "../../.github/scripts/deploy-permissions";
import type { RequiredAction } from "../../.github/scripts/deploy-permissions";
import { rawStackConfig, stackNames } from "../support/stacks";
import { assertBuilt, runStack } from "../support/dist";
import { docBlock } from "./doc-blocks";
import { repoRoot } from "./helpers";

interface RoleDefinition {
    Name: string;
    IsCustom: boolean;
    Description: string;
    Actions: string[];
    NotActions: string[];
    DataActions: string[];
    NotDataActions: string[];
    AssignableScopes: string[];
}
const roleFile = (name: string) => path.join(repoRoot, "pipelines", "roles", `${name}.json`);
const role = (name: string) => JSON.parse(fs.readFileSync(roleFile(name), "utf8")) as RoleDefinition;

let needed: RequiredAction[] = [];
beforeAll(async () => {
    assertBuilt();
    for (const stack of stackNames()) {
        const run = await runStack(stack, rawStackConfig(stack), false);
        needed.push(...requiredActions(run.resources as never));
    }
    needed = needed.filter((a, i) => needed.findIndex((b) => b.action === a.action && b.inStack === a.inStack) === i);
});

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** The roles' table in docs/pipelines.md: one row per role, its actions grouped by provider namespace. */
function renderRolesTable(roles: { file: string; def: RoleDefinition }[]): string {
    const rows = roles.map(({ file, def }) => {
        const byNs = new Map<string, string[]>();
        for (const a of def.Actions) {
            const [ns, ...rest] = a.split("/");
            byNs.set(ns, [...(byNs.get(ns) ?? []), rest.join("/")]);
        }
        const actions = [...byNs].map(([ns, xs]) => `${ns}: ${xs.map((x) => `\`${x}\``).join(", ")}`).join("<br>");
        return `| \`pipelines/roles/${file}.json\` (${def.Name}) | ${def.Actions.length} | ${actions} |`;
    });
    return ["| role | actions | actions by provider |", "|---|---|---|", ...rows].join("\n");
}

describe("the deploy identity's custom roles", () => {
    it("the deployer role grants exactly what the stacks do to their own resources", () => {
        const want = sorted(needed.filter((a) => a.inStack).map((a) => a.action));
        const have = sorted(role("landing-zone-deployer").Actions);
        expect({
            missing: want.filter((a) => !have.includes(a)),
            notNeeded: have.filter((a) => !want.includes(a)),
        }).toEqual({ missing: [], notNeeded: [] });
    });

    it("the linker role grants exactly what the stacks need on resources they only reference", () => {
        const want = sorted(needed.filter((a) => !a.inStack).map((a) => a.action));
        const have = sorted(role("landing-zone-linker").Actions);
        expect({
            missing: want.filter((a) => !have.includes(a)),
            notNeeded: have.filter((a) => !want.includes(a)),
        }).toEqual({ missing: [], notNeeded: [] });
        expect(want.length).toBeGreaterThan(0);
    });

    it("covers the locks and role assignments Contributor cannot give, and every resource type the stacks create", () => {
        const actions = role("landing-zone-deployer").Actions;
        for (const a of [
            "Microsoft.Authorization/locks/write",
            "Microsoft.Authorization/locks/delete",
            "Microsoft.Authorization/roleAssignments/write",
        ])
            expect(actions).toContain(a);
        const types = sorted(needed.filter((a) => a.inStack && a.action.endsWith("/write")).map((a) => a.from));
        expect(types.length).toBeGreaterThan(15);
    });

    it("grant no wildcard, no data-plane action and nothing negated, and are valid custom role definitions", () => {
        for (const name of ["landing-zone-deployer", "landing-zone-linker"]) {
            const def = role(name);
            expect(Object.keys(def).sort()).toEqual([
                "Actions",
                "AssignableScopes",
                "DataActions",
                "Description",
                "IsCustom",
                "Name",
                "NotActions",
                "NotDataActions",
            ]);
            expect(def.IsCustom).toBe(true);
            expect(def.Actions.filter((a) => a.includes("*"))).toEqual([]);
            expect([def.NotActions, def.DataActions, def.NotDataActions]).toEqual([[], [], []]);
            for (const a of def.Actions) expect(a).toMatch(/^Microsoft\.[A-Za-z]+(\/[A-Za-z]+)+$/);
            expect(def.Actions).toEqual([...def.Actions].sort());
            for (const s of def.AssignableScopes) expect(s).toMatch(/^\/subscriptions\/[0-9a-f-]{36}$/);
        }
    });

    it("are the ones docs/pipelines.md lists, action for action", () => {
        const table = renderRolesTable(
            ["landing-zone-deployer", "landing-zone-linker"].map((file) => ({ file, def: role(file) })),
        );
        expect(docBlock("roles")).toBe(table);
    });
});
