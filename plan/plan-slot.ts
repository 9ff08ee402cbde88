/**
 * A worker process and a pack process, started together (both take about half a second to load) and reused for the
 * stacks planned on the slot one after another. The pack is told each stack with ConfigureStack and Configure, as the
 * analyzer protocol allows; it is started with the first stack's environment (PULUMI_STACK, PULUMI_CONFIG), which
 * this repository's pack never reads.
 */
import { AnalyzerClient, AnalyzerInfo } from "./analyzer";
import type { PlanOptions } from "./plan-options";
import { ProgramWorker } from "./program-runner";
import { StackTarget } from "./stack-source";

export class PlanSlot {
    private worker?: ProgramWorker;
    private pack?: Promise<AnalyzerClient>;
    /** Asked as soon as the pack is up, while the program runs. */
    private info?: Promise<AnalyzerInfo>;

    /**
     * `lean`: the slot plans a single stack, so its processes trade throughput they will not use for memory: a small
     * young generation keeps each process ~20 MB smaller at the same start-up time (docs/performance.md).
     */
    constructor(
        private readonly options: PlanOptions,
        private readonly lean = false,
    ) {}

    /** Starts the slot's processes if they are not running; returns them. */
    start(target: StackTarget): { worker: ProgramWorker; pack: Promise<AnalyzerClient>; info: Promise<AnalyzerInfo> } {
        const nodeOptions = this.lean ? ["--max-semi-space-size=1"] : [];
        // A run that failed ends its worker; the slot's next stack gets a new one.
        if (!this.worker?.usable) this.worker = new ProgramWorker(nodeOptions);
        if (!this.pack) {
            const o = this.options;
            this.pack = AnalyzerClient.start({
                packDir: o.packDir,
                project: target.project,
                stack: target.stack,
                config: target.config,
                preview: o.preview,
                timeoutMs: o.packTimeoutMs,
                nodeOptions,
                loader: "compiled",
            });
            this.info = this.pack.then((p) => p.getAnalyzerInfo());
            this.info.catch(() => undefined);
        }
        return { worker: this.worker, pack: this.pack, info: this.info! };
    }

    async close(): Promise<void> {
        this.worker?.close();
        this.worker = undefined;
        await this.pack?.then(
            (p) => p.close(),
            () => undefined,
        );
        this.pack = undefined;
        this.info = undefined;
    }
}
