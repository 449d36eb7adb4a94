package dev.roster.api.crd;

import dev.roster.api.admission.FieldError;
import java.util.List;

/**
 * What reading part of a CustomResourceDefinition gives: the value when it is valid, else the errors that make the
 * CRD invalid (upstream's 422 causes).
 *
 * @param value null when {@code errors} is not empty
 */
public record Result<T>(T value, List<FieldError> errors) {
    public Result {
        errors = List.copyOf(errors);
        if (value == null && errors.isEmpty()) throw new IllegalArgumentException("a result needs a value or errors");
    }

    public static <T> Result<T> ok(T value) {
        return new Result<>(value, List.of());
    }

    public static <T> Result<T> invalid(List<FieldError> errors) {
        return new Result<>(null, errors);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }
}
