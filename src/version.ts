/** The software name and version recorded in every results.json. Kept in step with package.json by a test. */
export const SOFTWARE_NAME = 'oncosurv';
export const SOFTWARE_VERSION = '0.1.0';
