-- Live status (src/services/tasks/watch.ts): every change of a task's status or progress,
-- whichever instance, process or connection makes it, notifies the `task_status` channel
-- with the task's uuid. Each app instance LISTENs on one connection and reads the notified
-- tasks back; without listeners a notification costs next to nothing.
CREATE OR REPLACE FUNCTION tasks_notify_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('task_status', NEW.uuid::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS tasks_notify_status ON tasks;
--> statement-breakpoint
CREATE TRIGGER tasks_notify_status
AFTER UPDATE OF status, progress ON tasks
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.progress IS DISTINCT FROM NEW.progress)
EXECUTE FUNCTION tasks_notify_status();
