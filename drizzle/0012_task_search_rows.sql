-- Where each document of the search table is, by task and message (message '' for the task's
-- title): the search table cannot look a document up by those columns, so removing one (at every
-- answer's end, at every rename) scanned all of it, on the server's only thread. The triggers now
-- find it by its row id. A draft answer (stored as `streaming`) is indexed once it stops
-- streaming, as an updated one already was.
CREATE TABLE `task_search_rows` (
	`task_id` text NOT NULL,
	`message_id` text NOT NULL,
	`search_rowid` integer NOT NULL,
	PRIMARY KEY (`task_id`, `message_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT OR REPLACE INTO `task_search_rows` (`task_id`, `message_id`, `search_rowid`)
SELECT `task_id`, `message_id`, `rowid` FROM `task_search` ORDER BY `rowid`;
--> statement-breakpoint
DROP TRIGGER `task_search_task_insert`;
--> statement-breakpoint
CREATE TRIGGER `task_search_task_insert` AFTER INSERT ON `tasks` BEGIN
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`) VALUES (new.`id`, '', new.`title`);
	INSERT OR REPLACE INTO `task_search_rows` (`task_id`, `message_id`, `search_rowid`) VALUES (new.`id`, '', last_insert_rowid());
END;
--> statement-breakpoint
DROP TRIGGER `task_search_task_title`;
--> statement-breakpoint
CREATE TRIGGER `task_search_task_title` AFTER UPDATE OF `title` ON `tasks` BEGIN
	DELETE FROM `task_search` WHERE `rowid` = (SELECT `search_rowid` FROM `task_search_rows` WHERE `task_id` = old.`id` AND `message_id` = '');
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`) VALUES (new.`id`, '', new.`title`);
	INSERT OR REPLACE INTO `task_search_rows` (`task_id`, `message_id`, `search_rowid`) VALUES (new.`id`, '', last_insert_rowid());
END;
--> statement-breakpoint
DROP TRIGGER `task_search_task_delete`;
--> statement-breakpoint
CREATE TRIGGER `task_search_task_delete` AFTER DELETE ON `tasks` BEGIN
	DELETE FROM `task_search` WHERE `rowid` IN (SELECT `search_rowid` FROM `task_search_rows` WHERE `task_id` = old.`id`);
	DELETE FROM `task_search_rows` WHERE `task_id` = old.`id`;
END;
--> statement-breakpoint
DROP TRIGGER `task_search_message_insert`;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_insert` AFTER INSERT ON `messages`
WHEN new.`status` <> 'streaming' BEGIN
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`)
	SELECT new.`task_id`, new.`id`, coalesce(group_concat(json_extract(value, '$.text'), ' '), '')
	FROM json_each(new.`parts`) WHERE json_extract(value, '$.type') = 'text';
	INSERT OR REPLACE INTO `task_search_rows` (`task_id`, `message_id`, `search_rowid`) VALUES (new.`task_id`, new.`id`, last_insert_rowid());
END;
--> statement-breakpoint
DROP TRIGGER `task_search_message_update`;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_update` AFTER UPDATE OF `parts`, `status` ON `messages`
WHEN new.`status` <> 'streaming' BEGIN
	DELETE FROM `task_search` WHERE `rowid` = (SELECT `search_rowid` FROM `task_search_rows` WHERE `task_id` = old.`task_id` AND `message_id` = old.`id`);
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`)
	SELECT new.`task_id`, new.`id`, coalesce(group_concat(json_extract(value, '$.text'), ' '), '')
	FROM json_each(new.`parts`) WHERE json_extract(value, '$.type') = 'text';
	INSERT OR REPLACE INTO `task_search_rows` (`task_id`, `message_id`, `search_rowid`) VALUES (new.`task_id`, new.`id`, last_insert_rowid());
END;
--> statement-breakpoint
DROP TRIGGER `task_search_message_delete`;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_delete` AFTER DELETE ON `messages` BEGIN
	DELETE FROM `task_search` WHERE `rowid` = (SELECT `search_rowid` FROM `task_search_rows` WHERE `task_id` = old.`task_id` AND `message_id` = old.`id`);
	DELETE FROM `task_search_rows` WHERE `task_id` = old.`task_id` AND `message_id` = old.`id`;
END;
