import { execFile, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "./helpers";

const script = path.join(repoRoot, ".github", "scripts", "install-pulumi-cli.sh");
const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));
const version: string = lock.packages["node_modules/@pulumi/pulumi"].version;
const archive = `pulumi-v${version}-linux-x64.tar.gz`;
const sums = `pulumi-${version}-checksums.txt`;

describe("the Pulumi CLI install", () => {
    let server: http.Server;
    let base: string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
    let tarball: Buffer;
    const files = new Map<string, Buffer>();

    beforeAll(async () => {
        // A release archive shaped like Pulumi's (a pulumi/ directory holding the binaries).
        fs.mkdirSync(path.join(dir, "src", "pulumi"), { recursive: true });
        fs.writeFileSync(path.join(dir, "src", "pulumi", "pulumi"), "#!/bin/sh\necho v0\n", { mode: 0o755 });
        const tar = spawnSync("tar", ["-czf", path.join(dir, archive), "-C", path.join(dir, "src"), "pulumi"]);
        expect(tar.status).toBe(0);
        tarball = fs.readFileSync(path.join(dir, archive));
        server = http.createServer((req, res) => {
            const body = files.get(req.url!.split("/").pop()!);
            if (!body) {
                res.statusCode = 404;
                res.end();
                return;
            }
            res.end(body);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Runs the script asynchronously: the download server lives in this process. */
    const install = (env: Record<string, string> = {}) => {
        const dest = fs.mkdtempSync(path.join(dir, "dest-"));
        const pathFile = path.join(dest, "github_path");
        return new Promise<{ status: number; stdout: string; stderr: string; dest: string; pathFile: string }>(
            (resolve) => {
                execFile(
                    "bash",
                    [script, dest],
                    {
                        encoding: "utf8",
                        timeout: 20000,
                        env: {
                            PATH: process.env.PATH!,
                            HOME: dir,
                            PULUMI_DOWNLOAD_BASE: `${base}/sdk`,
                            PULUMI_CHECKSUM_BASE: `${base}/release`,
                            GITHUB_PATH: pathFile,
                            ...env,
                        },
                    },
                    (err, stdout, stderr) =>
                        resolve({
                            status: err ? (typeof err.code === "number" ? err.code : 99) : 0,
                            stdout,
                            stderr,
                            dest,
                            pathFile,
                        }),
                );
            },
        );
    };
    const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");

    it("installs the lockfile's SDK version once its SHA-256 matches the release checksums, and puts it on PATH", async () => {
        files.set(archive, tarball);
        files.set(
            sums,
            Buffer.from(`${"0".repeat(64)}  pulumi-v${version}-darwin-arm64.tar.gz\n${sha(tarball)}  ${archive}\n`),
        );
        const run = await install();
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        expect(run.stdout).toContain(`Pulumi CLI ${version} installed`);
        expect(fs.existsSync(path.join(run.dest, "pulumi", "pulumi"))).toBe(true);
        expect(fs.readFileSync(run.pathFile, "utf8").trim()).toBe(path.join(run.dest, "pulumi"));
    });

    it("refuses an archive whose hash differs from the checksum file, installing nothing", async () => {
        files.set(archive, Buffer.concat([tarball, Buffer.from("tampered")]));
        files.set(sums, Buffer.from(`${sha(tarball)}  ${archive}\n`));
        const run = await install();
        expect(run.status).toBe(1);
        expect(run.stderr).toContain("refusing to install");
        expect(fs.existsSync(path.join(run.dest, "pulumi"))).toBe(false);
    });

    it("refuses a checksum file that does not list the archive, and an archive that differs from the pinned hash", async () => {
        files.set(archive, tarball);
        files.set(sums, Buffer.from(`${sha(tarball)}  some-other-file.tar.gz\n`));
        expect((await install()).stderr).toContain(`lists no ${archive}`);
        files.set(sums, Buffer.from(`${sha(tarball)}  ${archive}\n`));
        const pinned = await install({ PULUMI_CLI_SHA256: "f".repeat(64) });
        expect(pinned.status).toBe(1);
        expect(pinned.stderr).toContain("PULUMI_CLI_SHA256 pins");
        expect((await install({ PULUMI_CLI_SHA256: sha(tarball) })).status).toBe(0);
    });
});
