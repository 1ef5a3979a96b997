#include <sqlite3.h>
#include <stdio.h>

static int print_row(void *unused, int n, char **values, char **names) {
    for (int i = 0; i < n; i++)
        printf("%s%s=%s", i ? " " : "", names[i], values[i] ? values[i] : "NULL");
    printf("\n");
    return 0;
}

int main(void) {
    sqlite3 *db;
    char *err = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return 1;
    const char *sql =
        "CREATE TABLE images (name TEXT, mb INTEGER);"
        "INSERT INTO images VALUES ('single-stage', 650), ('multi-stage', 2), ('slim', 80);"
        "SELECT count(*) AS images, sum(mb) AS total_mb, min(name) AS first FROM images;"
        "SELECT name, mb FROM images ORDER BY mb;";
    if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite error: %s\n", err);
        return 1;
    }
    sqlite3_close(db);
    return 0;
}
