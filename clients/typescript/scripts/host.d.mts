export declare const repoRoot: string;
export declare const ADMIN_PASSWORD: string;
export declare function freePort(): Promise<number>;
export declare function sampleDll(): string;
export interface RunningHost {
  base: string;
  port: number;
  logPath: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}
export declare function startHost(options?: { env?: Record<string, string>; port?: number; dll?: string }): Promise<RunningHost>;
