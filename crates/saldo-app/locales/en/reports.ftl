
## Finance reports and master data
