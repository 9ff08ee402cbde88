/** The shape of the model catalogue's entries (model-catalogue.ts) and of the Microsoft pages they were read from. */
import { DeploymentSku } from "./azure";

export interface DocSource {
    /** The published page. */
    page: string;
    /** Its source in MicrosoftDocs/azure-ai-docs and the revision read. */
    file: string;
    revision: string;
}

/** A lifecycle date: `exact` when the docs give the date, otherwise the docs' "no earlier than" date. */
export interface LifecycleDate {
    date: string;
    exact: boolean;
}

export interface ModelVersion {
    model: string;
    version: string;
    status: "GA" | "Preview";
    /** From this date the model version takes no new customers (a subscription that never deployed it cannot). */
    deprecation?: LifecycleDate;
    /** From this date every deployment of it returns errors. */
    retirement: LifecycleDate;
    /** Where the docs give a different retirement date for some SKUs. */
    retirementBySku?: Partial<Record<DeploymentSku, string>>;
    /** The replacement the retirement table names, as written there (it may itself be retired, or outside this catalogue). */
    replacementNamedByDocs?: string;
    /** `model@version` in this catalogue to move to; followed until one that is not retired (`currentReplacement`). */
    replacement?: string;
    /** USD per 1,000 tokens at the output-token rate (the worst case for spend). */
    usdPer1kTokens: number;
    /** Regions, among those any profile allows, in which each SKU offers this version (an absent SKU: see model-catalogue.ts). */
    offeredIn: Partial<Record<DeploymentSku, string[]>>;
}
