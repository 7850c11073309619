import type { StoreDeps, SurveyRate } from './ports.ts';

export function surveyRates({ stores }: StoreDeps, projectId: string, commIds?: readonly string[]): Promise<SurveyRate[]> {
  return stores.responseReads.rates(projectId, commIds);
}
