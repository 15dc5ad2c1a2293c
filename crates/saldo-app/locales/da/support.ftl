
## The support console
