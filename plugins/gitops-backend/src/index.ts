export { gitopsPlugin as default } from './plugin';
export {
  gitopsApplicationConditions,
  createGitopsApplicationConditionalDecision,
} from './permissions/rules';
export type { GitopsApplicationResource } from './permissions/resource';
