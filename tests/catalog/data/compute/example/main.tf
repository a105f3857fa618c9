# test module: the catalog loader needs a folder with a .tf file
