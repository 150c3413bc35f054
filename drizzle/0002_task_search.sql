-- Full-text search over task titles and message text. One row per task title (message_id '')
-- and one per message; kept current by triggers, so every face's writes are indexed.
CREATE VIRTUAL TABLE `task_search` USING fts5(`task_id` UNINDEXED, `message_id` UNINDEXED, `content`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `task_search_task_insert` AFTER INSERT ON `tasks` BEGIN
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`) VALUES (new.`id`, '', new.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `task_search_task_title` AFTER UPDATE OF `title` ON `tasks` BEGIN
	DELETE FROM `task_search` WHERE `task_id` = old.`id` AND `message_id` = '';
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`) VALUES (new.`id`, '', new.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `task_search_task_delete` AFTER DELETE ON `tasks` BEGIN
	DELETE FROM `task_search` WHERE `task_id` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_insert` AFTER INSERT ON `messages` BEGIN
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`)
	SELECT new.`task_id`, new.`id`, coalesce(group_concat(json_extract(value, '$.text'), ' '), '')
	FROM json_each(new.`parts`) WHERE json_extract(value, '$.type') = 'text';
END;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_update` AFTER UPDATE OF `parts` ON `messages` BEGIN
	DELETE FROM `task_search` WHERE `message_id` = old.`id`;
	INSERT INTO `task_search` (`task_id`, `message_id`, `content`)
	SELECT new.`task_id`, new.`id`, coalesce(group_concat(json_extract(value, '$.text'), ' '), '')
	FROM json_each(new.`parts`) WHERE json_extract(value, '$.type') = 'text';
END;
--> statement-breakpoint
CREATE TRIGGER `task_search_message_delete` AFTER DELETE ON `messages` BEGIN
	DELETE FROM `task_search` WHERE `message_id` = old.`id`;
END;
--> statement-breakpoint
INSERT INTO `task_search` (`task_id`, `message_id`, `content`) SELECT `id`, '', `title` FROM `tasks`;
--> statement-breakpoint
INSERT INTO `task_search` (`task_id`, `message_id`, `content`)
SELECT m.`task_id`, m.`id`, coalesce((SELECT group_concat(json_extract(value, '$.text'), ' ') FROM json_each(m.`parts`) WHERE json_extract(value, '$.type') = 'text'), '')
FROM `messages` m;
