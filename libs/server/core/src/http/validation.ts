import { ValidationPipe } from '@nestjs/common';
import { DomainException } from '../errors/domain-exception.js';
import { fieldProblems, summarizeProblems } from '../errors/validation-messages.js';

/** The global pipe: unknown fields are refused, types are converted, every bad field is named in Chinese. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      return DomainException.validation(summarizeProblems(problems), problems);
    },
  });
}
