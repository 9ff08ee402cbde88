/** `typescript` in jest's module registry is the worker's one instance (jest.config.js moduleNameMapper). */
import { workerRequire } from "../worker-require";

export = workerRequire("typescript");
