-- Search documents are indexed in batches instead of in each write's transaction: a transaction
-- that changed the search table wrote a new segment of it, about ten pages of the WAL, most of what
-- storing a question or an answer cost. A write now only lists the documents it changed in
-- `task_search_pending`; the server indexes that list about once a second, and before any search.
-- Removals stay immediate, and take a removed document off the list.
CREATE TABLE `task_search_pending` (
	`task_id` text NOT NULL,
	`message_id` text NOT NULL,
	PRIMARY KEY (`task_id`, `message_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Inserting into this view indexes one document again: its old entry, if any, is replaced.
CREATE VIEW `task_search_documents` AS SELECT `task_id`, `message_id`, `content` FROM `task_search`;
--> statement-breakpoint
CREATE TRIGGER `task_search_documents_insert` INSTEAD OF INSERT ON `task_search_documents` BEGIN
	DELETE FROM `task_search` WHERE `rowid` = (SELECT `search_rowid` FROM `task_search_rows` WHERE `task_id` = new.`task_id` AND `message_id` = new.`message_id`);
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`) VALUES (new.`task_id`, new.`message_id`, new.`content`);
	INSERT OR REPLACE INTO `task_search_rows` (`task_id`, `message_id`, `search_rowid`) VALUES (new.`task_id`, new.`message_id`, last_insert_rowid());
END;
--> statement-breakpoint
DROP TRIGGER `task_search_task_insert`;
--> statement-breakpoint
CREATE TRIGGER `task_search_task_insert` AFTER INSERT ON `tasks` BEGIN
	INSERT OR IGNORE INTO `task_search_pending` (`task_id`, `message_id`) VALUES (new.`id`, '');
END;
--> statement-breakpoint
DROP TRIGGER `task_search_task_title`;
--> statement-breakpoint
CREATE TRIGGER `task_search_task_title` AFTER UPDATE OF `title` ON `tasks` BEGIN
	INSERT OR IGNORE INTO `task_search_pending` (`task_id`, `message_id`) VALUES (new.`id`, '');
END;
--> statement-breakpoint
DROP TRIGGER `task_search_task_delete`;
--> statement-breakpoint
CREATE TRIGGER `task_search_task_delete` AFTER DELETE ON `tasks` BEGIN
	DELETE FROM `task_search` WHERE `rowid` IN (SELECT `search_rowid` FROM `task_search_rows` WHERE `task_id` = old.`id`);
	DELETE FROM `task_search_rows` WHERE `task_id` = old.`id`;
	DELETE FROM `task_search_pending` WHERE `task_id` = old.`id`;
END;
--> statement-breakpoint
DROP TRIGGER `task_search_message_insert`;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_insert` AFTER INSERT ON `messages`
WHEN new.`status` <> 'streaming' BEGIN
	INSERT OR IGNORE INTO `task_search_pending` (`task_id`, `message_id`) VALUES (new.`task_id`, new.`id`);
END;
--> statement-breakpoint
DROP TRIGGER `task_search_message_update`;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_update` AFTER UPDATE OF `parts`, `status` ON `messages`
WHEN new.`status` <> 'streaming' BEGIN
	INSERT OR IGNORE INTO `task_search_pending` (`task_id`, `message_id`) VALUES (new.`task_id`, new.`id`);
END;
--> statement-breakpoint
DROP TRIGGER `task_search_message_delete`;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_delete` AFTER DELETE ON `messages` BEGIN
	DELETE FROM `task_search` WHERE `rowid` = (SELECT `search_rowid` FROM `task_search_rows` WHERE `task_id` = old.`task_id` AND `message_id` = old.`id`);
	DELETE FROM `task_search_rows` WHERE `task_id` = old.`task_id` AND `message_id` = old.`id`;
	DELETE FROM `task_search_pending` WHERE `task_id` = old.`task_id` AND `message_id` = old.`id`;
END;
