import { Skeleton } from "@/components/ui/skeleton";

/** The history while its page renders: the heading, the filters and a grid of card outlines. */
export default function Loading() {
  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:py-10" aria-busy="true" data-testid="tasks-loading">
      <Skeleton className="h-9 w-48" />
      <Skeleton className="mt-3 h-5 w-72 max-w-full" />
      <div className="mt-6 space-y-3">
        <Skeleton className="h-8 w-80 max-w-full" />
        <Skeleton className="h-8 w-96 max-w-full" />
      </div>
      <div className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="overflow-hidden rounded-xl border">
            <Skeleton className="aspect-video w-full rounded-none" />
            <div className="space-y-3 p-6">
              <Skeleton className="h-5 w-24" />
              <Skeleton className="h-4 w-full" />
              <Skeleton className="h-4 w-2/3" />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
