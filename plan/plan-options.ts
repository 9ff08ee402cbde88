/** How the offline plan runs: which pack, which mode, how many stacks at once. */
export interface PlanOptions {
    packDir: string;
    preview: boolean;
    /** Stacks planned at once (slots: a worker process and a pack process each). Default: the number of cores, at most 4. */
    concurrency?: number;
    packTimeoutMs?: number;
}
