-- expect exit: 2
-- expect hazards: 
-- expect mentions: holds no SQL statement
-- nothing here

