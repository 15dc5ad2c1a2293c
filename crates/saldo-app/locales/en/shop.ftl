
## The webshop
