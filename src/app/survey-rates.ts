import type { StoreDeps } from './ports.ts';

export interface SurveyRate {
  commId: string;
  audience: string;
  /** People asked: distinct (occurrence, person) with a survey message sent, on any channel. */
  asked: number;
  answered: number;
}

export function surveyRates({ stores }: StoreDeps, projectId: string, commIds?: readonly string[]): Promise<SurveyRate[]> {
  return stores.responseReads.rates(projectId, commIds);
}
