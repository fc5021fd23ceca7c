from partnerhub.cli import main

main()
