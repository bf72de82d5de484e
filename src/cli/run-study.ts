/**
 * The study as the CLI runs it (`oncosurv study`, `oncosurv demo`, the study benchmark): the
 * analyses (src/study/, which write results.json and the datasets but format nothing), then
 * the report from the returned StudyResults, as `oncosurv report` builds it from results.json.
 */
import { writeStudyReport } from '../report/hcc-conversion-report.js';
import { HCC_CONVERSION_STAGES, runHccConversionStudy, type StudyOptions, type StudyRun } from '../study/hcc-conversion.js';

/** Progress stages of runStudyWithReport: the study's, then the report. */
export const STUDY_WITH_REPORT_STAGES = HCC_CONVERSION_STAGES + 1;

export async function runStudyWithReport(options: StudyOptions, report: { suppress: boolean }): Promise<StudyRun> {
  return runHccConversionStudy({
    ...options,
    beforeCommit: async (workDir, results) => {
      options.progress.stage('writing report.html, figures/ and tables/');
      await writeStudyReport(workDir, results, { suppress: report.suppress });
    },
  });
}
