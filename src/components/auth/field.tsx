import type { InputHTMLAttributes } from "react";

export function Field({ label, error, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {
  const errorId = error ? `${input.id}-error` : undefined;
  return (
    <div>
      <label htmlFor={input.id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
        className={`mt-1 block w-full rounded-lg border px-3 py-2 text-sm ${error ? "border-red-400" : "border-slate-300"}`}
      />
      {error && (
        <p id={errorId} data-testid={`${input.id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
