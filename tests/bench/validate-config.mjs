// The HubSpot CLI's own config check, as `hs` runs it: local-dev-lib's `validateConfig()`
// reads $HOME/.hscli/config.yml (js-yaml), normalises it and validates every account.
// Prints {"isValid": bool, "errors": N}; the benchmark times the whole process.
import { validateConfig } from '@hubspot/local-dev-lib/config';

const result = validateConfig();
process.stdout.write(JSON.stringify({ isValid: result.isValid, errors: result.errors.length }) + '\n');
