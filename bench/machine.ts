/** Describes the machine a benchmark ran on, so figures are never quoted without it. */
import * as os from "os";

export interface MachineInfo {
    cpuModel: string;
    cores: number;
    memoryGiB: number;
    node: string;
    platform: string;
    date: string;
    /** 1-minute load average when the benchmark started and before its npm test section: above the core count, other work inflated the figures. */
    loadAverage: { start: number; end?: number };
}

export function describeMachine(now = new Date()): MachineInfo {
    const cpus = os.cpus();
    return {
        cpuModel: cpus[0]?.model.trim() || "unknown",
        cores: cpus.length,
        memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
        node: process.version,
        platform: `${os.type()} ${os.release()} ${os.arch()}`,
        date: now.toISOString().slice(0, 10),
        loadAverage: { start: Math.round(os.loadavg()[0] * 10) / 10 },
    };
}
