/**
 * @module editor/no-ajv-validator
 * Stands in for @rjsf/validator-ajv8, which @rjsf/core's test helper imports: ajv compiles
 * validators with `new Function`, which the CSP forbids. The app uses form-validator.ts.
 */
const refuse = () => {
  throw new Error('ajv is not available here; use createFormValidator');
};
export const customizeValidator = refuse;
export default { validateFormData: refuse, isValid: refuse, rawValidation: refuse };
