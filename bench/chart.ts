/**
 * A hand-written SVG chart of policy-evaluation time against fleet size (log-log axes, where linear growth is a
 * line of slope 1), with the linear reference drawn through the 10-zone point. No plotting dependency.
 */

export interface FleetPoint {
    zones: number;
    resources: number;
    ms: number;
}

const width = 640;
const height = 400;
const margin = { left: 70, right: 20, top: 40, bottom: 55 };

const escapeXml = (s: string): string =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Powers of ten covering [min, max]. */
function decades(min: number, max: number): number[] {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
    return out;
}

export function fleetChartSvg(points: readonly FleetPoint[], title = "Policy evaluation time vs fleet size"): string {
    if (points.length === 0) throw new Error("fleetChartSvg: expected at least one measured point");
    for (const p of points) {
        if (!(p.zones > 0 && p.ms > 0))
            throw new Error(`fleetChartSvg: expected positive zones and ms, got zones=${p.zones} ms=${p.ms}`);
    }
    const sorted = [...points].sort((a, b) => a.zones - b.zones);
    const reference = sorted.find((p) => p.zones === 10) ?? sorted[0];
    const linear = (zones: number) => (reference.ms * zones) / reference.zones;
    const xs = decades(sorted[0].zones, sorted[sorted.length - 1].zones);
    const allMs = sorted.flatMap((p) => [p.ms, linear(p.zones)]);
    const ys = decades(Math.min(...allMs), Math.max(...allMs));
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const x = (v: number) =>
        margin.left +
        ((Math.log10(v) - Math.log10(xs[0])) / (Math.log10(xs[xs.length - 1]) - Math.log10(xs[0]) || 1)) * plotW;
    const y = (v: number) =>
        margin.top +
        plotH -
        ((Math.log10(v) - Math.log10(ys[0])) / (Math.log10(ys[ys.length - 1]) - Math.log10(ys[0]) || 1)) * plotH;
    const r1 = (n: number) => n.toFixed(1);
    const label = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

    const grid = [
        ...xs.map(
            (v) =>
                `<line x1="${r1(x(v))}" y1="${margin.top}" x2="${r1(x(v))}" y2="${margin.top + plotH}" class="grid"/><text x="${r1(x(v))}" y="${margin.top + plotH + 18}" text-anchor="middle">${v}</text>`,
        ),
        ...ys.map(
            (v) =>
                `<line x1="${margin.left}" y1="${r1(y(v))}" x2="${margin.left + plotW}" y2="${r1(y(v))}" class="grid"/><text x="${margin.left - 8}" y="${r1(y(v) + 4)}" text-anchor="end">${escapeXml(label(v))}</text>`,
        ),
    ];
    const measured = sorted.map((p) => `${r1(x(p.zones))},${r1(y(p.ms))}`).join(" ");
    const ref = `${r1(x(sorted[0].zones))},${r1(y(linear(sorted[0].zones)))} ${r1(x(sorted[sorted.length - 1].zones))},${r1(y(linear(sorted[sorted.length - 1].zones)))}`;
    const dots = sorted.map(
        (p) =>
            `<circle cx="${r1(x(p.zones))}" cy="${r1(y(p.ms))}" r="4" class="measured"><title>${p.zones} zones, ${p.resources} resources: ${Math.round(p.ms)} ms</title></circle>` +
            `<text x="${r1(x(p.zones) + 6)}" y="${r1(y(p.ms) - 8)}">${escapeXml(`${Math.round(p.ms)} ms`)}</text>`,
    );
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
        `<style>.grid{stroke:#ddd;stroke-width:1}.axis{stroke:#333}.measured{fill:#1f6feb}.line{fill:none;stroke:#1f6feb;stroke-width:2}.ref{fill:none;stroke:#999;stroke-width:1.5;stroke-dasharray:6 4}</style>`,
        `<rect width="${width}" height="${height}" fill="#fff"/>`,
        `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
        ...grid,
        `<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}" class="axis"/>`,
        `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}" class="axis"/>`,
        `<polyline points="${ref}" class="ref"/>`,
        `<polyline points="${measured}" class="line"/>`,
        ...dots,
        `<text x="${margin.left + plotW / 2}" y="${height - 12}" text-anchor="middle">regional landing zones in the stack (log scale)</text>`,
        `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">Analyze + AnalyzeStack wall time (log scale)</text>`,
        `<text x="${margin.left + plotW - 4}" y="${margin.top + 14}" text-anchor="end" fill="#666">dashed: linear growth from ${reference.zones} zone${reference.zones === 1 ? "" : "s"}</text>`,
        `</svg>`,
        "",
    ].join("\n");
}
