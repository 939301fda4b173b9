import type { Storage } from "scaletune";

/**
 * A storage that passes every call on to another one and reports each to `log`, with how long it took. Every
 * guarantee is the inner storage's: each call is passed on whole, so what is atomic there stays atomic.
 */
export function loggingStorage(inner: Storage, log: (method: string, ms: number) => void): Storage {
  async function logged<T>(method: string, call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call();
    } finally {
      log(method, performance.now() - start);
    }
  }
  return {
    url: inner.url,
    persistent: inner.persistent,
    createStudy: (name, directions) => logged("createStudy", () => inner.createStudy(name, directions)),
    findStudy: (name) => logged("findStudy", () => inner.findStudy(name)),
    listStudies: () => logged("listStudies", () => inner.listStudies()),
    deleteStudy: (studyId) => logged("deleteStudy", () => inner.deleteStudy(studyId)),
    setStudyAttrs: (studyId, kind, attrs) => logged("setStudyAttrs", () => inner.setStudyAttrs(studyId, kind, attrs)),
    createTrial: (studyId, trial) => logged("createTrial", () => inner.createTrial(studyId, trial)),
    tryCreateTrial: (studyId, trial, conditions) =>
      logged("tryCreateTrial", () => inner.tryCreateTrial(studyId, trial, conditions)),
    startWaitingTrial: (studyId, now, systemAttrs) =>
      logged("startWaitingTrial", () => inner.startWaitingTrial(studyId, now, systemAttrs)),
    updateTrial: (trialId, patch) => logged("updateTrial", () => inner.updateTrial(trialId, patch)),
    heartbeat: (trialIds, now) => logged("heartbeat", () => inner.heartbeat(trialIds, now)),
    failStaleTrials: (studyId, staleBefore, now, reason) =>
      logged("failStaleTrials", () => inner.failStaleTrials(studyId, staleBefore, now, reason)),
    failRunningTrials: (studyId, trialIds, now, reason) =>
      logged("failRunningTrials", () => inner.failRunningTrials(studyId, trialIds, now, reason)),
    claim: (studyId, key) => logged("claim", () => inner.claim(studyId, key)),
    readChanges: (studyId, cursor) => logged("readChanges", () => inner.readChanges(studyId, cursor)),
    readTrials: (studyId, query) => logged("readTrials", () => inner.readTrials(studyId, query)),
    trialKeys: (studyId) => logged("trialKeys", () => inner.trialKeys(studyId)),
    close: () => logged("close", () => inner.close()),
  };
}
