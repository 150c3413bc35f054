CREATE TABLE `task_tombstones` (
	`id` text PRIMARY KEY NOT NULL,
	`deleted_at` integer NOT NULL
);
--> statement-breakpoint
-- Every deleted task leaves its id behind, however it is deleted (one at a time, or with its
-- owner's account), and no new task may take a left id.
CREATE TRIGGER `task_tombstone_on_delete` AFTER DELETE ON `tasks` BEGIN
	INSERT OR IGNORE INTO `task_tombstones` (`id`, `deleted_at`)
	VALUES (old.`id`, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `task_tombstone_guard` BEFORE INSERT ON `tasks`
WHEN EXISTS (SELECT 1 FROM `task_tombstones` WHERE `id` = new.`id`) BEGIN
	SELECT RAISE(ABORT, 'parley: the task id belonged to a deleted task');
END;
