/** The pipeline scripts' GitHub API reader: every page of a list, whether the list is the body or one of its fields. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { listAll } = require("../../.github/scripts/github-api.js") as {
    listAll(url: string, token: string, key?: string): Promise<unknown[]>;
};

const pages: Record<string, { body: unknown; next?: string }> = {
    "https://api.test/reviews?page=1": { body: [{ id: 1 }, { id: 2 }], next: "https://api.test/reviews?page=2" },
    "https://api.test/reviews?page=2": { body: [{ id: 3 }] },
    "https://api.test/environments?page=1": { body: { environments: [{ name: "prod" }] } },
};
const seen: { url: string; auth: string }[] = [];
const realFetch = global.fetch;

beforeAll(() => {
    global.fetch = (async (url: string, init: { headers: Record<string, string> }) => {
        seen.push({ url, auth: init.headers.authorization });
        const page = pages[url];
        return new Response(JSON.stringify(page.body), {
            status: 200,
            headers: page.next ? { link: `<${page.next}>; rel="next"` } : {},
        });
    }) as typeof fetch;
});
afterAll(() => {
    global.fetch = realFetch;
});

it("follows the Link header's next page and sends the token on each", async () => {
    expect(await listAll("https://api.test/reviews?page=1", "t0ken")).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(seen.map((s) => s.auth)).toEqual(["Bearer t0ken", "Bearer t0ken"]);
});

it("reads the list from a field when the body is an object", async () => {
    expect(await listAll("https://api.test/environments?page=1", "t", "environments")).toEqual([{ name: "prod" }]);
});
