// Types of stryker.config.mjs for test/mutation.ts.
import type { PartialStrykerOptions } from '@stryker-mutator/api/core';

export interface MutationModule {
  name: string;
  mutate: string[];
  tests: string[];
}
export const modules: MutationModule[];
export function testCommand(tests: string[]): string;
declare const config: PartialStrykerOptions;
export default config;
