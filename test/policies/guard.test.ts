/** The pack as a library: a consumer sets levels and config by policy name, and a mistake names itself. */
import { allPolicies, guardConfig } from "../../policies/guard";

const [first, second] = allPolicies.map((p) => p.name);

describe("AzureOpenAiGuard's arguments", () => {
    it("keep every policy at its own level when given nothing", () => {
        expect(guardConfig()).toEqual({});
    });

    it("set every policy with `all`, except the ones named", () => {
        const config = guardConfig({
            all: "advisory",
            policies: { [first]: "mandatory", [second]: { enforcementLevel: "disabled", x: 1 } },
        });
        expect(Object.keys(config).sort()).toEqual(allPolicies.map((p) => p.name).sort());
        expect(config[first]).toBe("mandatory");
        expect(config[second]).toEqual({ enforcementLevel: "disabled", x: 1 });
        expect(
            new Set(
                Object.entries(config)
                    .filter(([n]) => n !== first && n !== second)
                    .map(([, v]) => v),
            ),
        ).toEqual(new Set(["advisory"]));
    });

    it("keep a policy's own level when only its config is given (an entry without a level would reach the engine as advisory)", () => {
        const own = allPolicies.find((p) => p.name === first)!.enforcementLevel ?? "mandatory";
        expect(guardConfig({ policies: { [first]: { x: 1 } } })[first]).toEqual({ x: 1, enforcementLevel: own });
        expect(guardConfig({ all: "advisory", policies: { [first]: { x: 1 } } })[first]).toEqual({
            x: 1,
            enforcementLevel: "advisory",
        });
    });

    it("refuse an unknown policy or level, naming each and what was expected", () => {
        expect(() =>
            guardConfig({
                all: "loud" as never,
                policies: { "no-such-policy": "advisory", [first]: { enforcementLevel: "sometimes" as never } },
            }),
        ).toThrow(
            new RegExp(
                `3 problems:\\n  - all: 'loud' is not an enforcement level: expected one of advisory, mandatory, remediate, disabled\\n  - policies.no-such-policy: no policy of that name in the pack: expected one of ${first}, .*\\n  - policies.${first}.enforcementLevel: 'sometimes' is not an enforcement level`,
            ),
        );
    });
});
