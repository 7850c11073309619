import { fail, ok, warn, type Check } from './check.ts';
import { publicUrlProblem } from './public-url.ts';

export function publicUrlCheck(publicUrl: string): Check {
  return {
    name: 'public-url',
    run: async () => {
      const problem = publicUrlProblem(publicUrl);
      return problem ? warn(problem.message, problem.fix) : ok(`PUBLIC_URL is ${publicUrl}`);
    },
  };
}

/** The configuration already refuses short and published secrets (src/config); here only whether one is set. */
export function secretCheck(secret: string | undefined): Check {
  return {
    name: 'secret',
    run: async () =>
      secret
        ? ok('HERALD_SECRET is set')
        : fail(
            'HERALD_SECRET is not set: the worker and the server cannot sign or check links',
            'set HERALD_SECRET to 16+ random characters: openssl rand -hex 24',
          ),
  };
}
